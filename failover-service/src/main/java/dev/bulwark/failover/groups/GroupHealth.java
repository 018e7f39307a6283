package dev.bulwark.failover.groups;

/** The state of a group as a whole, as its view reports it. */
public enum GroupHealth {
  HEALTHY("healthy"),
  /** The primary failed at least one check, fewer than the failure threshold or in cooldown. */
  FAILING("failing"),
  /** An intent to promote is stored and not finished. */
  FAILING_OVER("failing-over"),
  /** The primary is down and no standby may be promoted (none healthy, or lag too high). */
  NO_QUALIFIED_STANDBY("no-qualified-standby"),
  PAUSED("paused");

  private final String wire;

  GroupHealth(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
