package dev.bulwark.metrics.email;

import java.time.Instant;

/**
 * One email event, whichever provider reported it. {@code providerEventId} is unique per provider
 * and is what makes a webhook retry count once.
 */
public record EmailEvent(
    String provider,
    String providerEventId,
    String messageId,
    EmailEventType type,
    BounceType bounceType,
    String campaign,
    Instant occurredAt) {

  /** Campaign used when the provider's payload names none. */
  public static final String NO_CAMPAIGN = "none";

  public EmailEvent {
    if ((type == EmailEventType.BOUNCED) != (bounceType != null)) {
      throw new IllegalArgumentException(
          "a bounce type is given exactly when the event is a bounce");
    }
  }
}
