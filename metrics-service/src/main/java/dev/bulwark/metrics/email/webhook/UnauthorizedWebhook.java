package dev.bulwark.metrics.email.webhook;

import dev.bulwark.common.problem.ProblemException;
import java.util.Map;

/**
 * 401: a webhook whose signature or credentials are missing or wrong; nothing in it was counted.
 */
public class UnauthorizedWebhook extends ProblemException {

  private final String challenge;

  public UnauthorizedWebhook(String detail) {
    this(detail, null);
  }

  /** With a {@code WWW-Authenticate} challenge, such as the Basic one SNS answers to. */
  public UnauthorizedWebhook(String detail, String challenge) {
    super(401, "webhook-unauthorized", "Unauthorized", detail);
    this.challenge = challenge;
  }

  @Override
  public Map<String, String> headers() {
    return challenge == null ? Map.of() : Map.of("WWW-Authenticate", challenge);
  }
}
