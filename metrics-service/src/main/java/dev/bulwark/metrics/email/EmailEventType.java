package dev.bulwark.metrics.email;

import java.util.Locale;

/** The event kinds the rollups count; providers' other events (opens, clicks) are not counted. */
public enum EmailEventType {
  DELIVERED,
  BOUNCED,
  COMPLAINED,
  DEFERRED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
