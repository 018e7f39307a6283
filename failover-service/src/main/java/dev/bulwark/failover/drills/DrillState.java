package dev.bulwark.failover.drills;

import java.util.Arrays;

/** Where a drill is: running, or finished with an outcome. */
public enum DrillState {
  RUNNING("running"),
  SUCCEEDED("succeeded"),
  FAILED("failed");

  private final String wire;

  DrillState(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static DrillState fromWire(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst().orElseThrow();
  }
}
