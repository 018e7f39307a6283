package dev.bulwark.budget.spend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What spend may be grouped by; {@code day} is the UTC day the commit happened on, {@code kind}
 * whether it was reserved, late or ungated.
 */
public enum Dimension {
  CATEGORY,
  TEAM,
  OPERATION,
  BUDGET,
  DAY,
  KIND;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The dimension of this wire name, if there is one. */
  public static Optional<Dimension> fromWire(String value) {
    return Arrays.stream(values()).filter(d -> d.wire().equals(value)).findFirst();
  }
}
