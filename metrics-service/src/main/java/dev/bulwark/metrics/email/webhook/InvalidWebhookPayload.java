package dev.bulwark.metrics.email.webhook;

import dev.bulwark.common.problem.InvalidRequestProblem;

/**
 * 400: a provider's payload is not in its documented format at {@code field} (a path such as {@code
 * [3].sg_event_id} or {@code Message.bounce.timestamp}); nothing in it was counted.
 */
public class InvalidWebhookPayload extends InvalidRequestProblem {

  public InvalidWebhookPayload(String field, String message) {
    super(field, message);
  }
}
