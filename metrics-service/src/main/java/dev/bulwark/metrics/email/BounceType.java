package dev.bulwark.metrics.email;

import java.util.Locale;

/** Hard: the address will never accept mail. Soft: a transient refusal (mailbox full, blocked). */
public enum BounceType {
  HARD,
  SOFT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
