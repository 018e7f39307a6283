package dev.bulwark.failover.drills;

import java.util.Arrays;
import java.util.Optional;

/** What a drill does: a controlled switchover, or a simulated loss of the primary. */
public enum DrillKind {
  SWITCHOVER("switchover"),
  PRIMARY_LOSS("primary-loss");

  private final String wire;

  DrillKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<DrillKind> fromWire(String wire) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst();
  }
}
