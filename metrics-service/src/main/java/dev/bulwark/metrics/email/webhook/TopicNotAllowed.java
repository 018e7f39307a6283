package dev.bulwark.metrics.email.webhook;

import dev.bulwark.common.problem.ProblemException;

/** 403: an authenticated SNS message from a topic this service is not configured to accept. */
public class TopicNotAllowed extends ProblemException {

  public TopicNotAllowed(String topicArn) {
    super(
        403,
        "topic-not-allowed",
        "Forbidden",
        "topic "
            + topicArn
            + " is not in bulwark.metrics.webhooks.sns.topic-arns; nothing was counted");
  }
}
