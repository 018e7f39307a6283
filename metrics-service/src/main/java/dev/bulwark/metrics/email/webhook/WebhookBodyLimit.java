package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Bounds a provider webhook by its bytes, not by its events: a provider batches as many events as
 * fit its own size limit (SendGrid 768 KB, SNS 256 KB), and a batch refused for its count would be
 * retried, and refused, until the provider drops it.
 */
@ApplicationScoped
public class WebhookBodyLimit {

  private final long maxBytes;

  public WebhookBodyLimit(MetricsConfig config) {
    this.maxBytes = config.webhooks().maxBody().asLongValue();
  }

  /** Throws a {@link WebhookBodyTooLarge} when {@code body} is over the limit. */
  public void require(byte[] body) {
    if (body != null && body.length > maxBytes) {
      throw new WebhookBodyTooLarge(body.length, maxBytes);
    }
  }
}
