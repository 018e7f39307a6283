package dev.bulwark.metrics.email.webhook;

import dev.bulwark.common.problem.ProblemException;

/**
 * 413: a provider webhook body over {@code bulwark.metrics.webhooks.max-body}; none of it counted.
 */
public class WebhookBodyTooLarge extends ProblemException {

  public WebhookBodyTooLarge(long size, long limit) {
    super(
        413,
        "webhook-body-too-large",
        "Payload too large",
        "the body has "
            + size
            + " bytes, more than bulwark.metrics.webhooks.max-body ("
            + limit
            + " bytes); nothing was counted");
  }
}
