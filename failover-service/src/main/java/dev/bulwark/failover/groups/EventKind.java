package dev.bulwark.failover.groups;

import java.util.Arrays;
import java.util.Optional;

/** What a failover event records; the first four are outcomes of a failover decision. */
public enum EventKind {
  PROMOTED("promoted"),
  REFUSED_LAG("refused-lag"),
  REFUSED_NO_STANDBY("refused-no-standby"),
  FAILED("failed"),
  FENCED("fenced"),
  PAUSED("paused"),
  RESUMED("resumed"),
  /** A member promoted outside failover-service (by hand) taken as the group's primary. */
  ADOPTED("adopted");

  private final String wire;

  EventKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Whether this kind is an outcome counted in {@code bulwark_failover_failovers_total}. */
  public boolean isOutcome() {
    return ordinal() <= FAILED.ordinal();
  }

  public static Optional<EventKind> fromWire(String wire) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst();
  }
}
