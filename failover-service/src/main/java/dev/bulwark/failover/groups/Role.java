package dev.bulwark.failover.groups;

/** A member's role as failover-service sees it. */
public enum Role {
  /** The primary of the group's current epoch. */
  PRIMARY,
  /** A member replicating from (or, for http/tcp, standing by for) the primary. */
  STANDBY,
  /** A former primary that left recovery outside the current epoch: never primary again. */
  FENCED,
  /** Never reached yet. */
  UNKNOWN;

  public String wire() {
    return name().toLowerCase();
  }
}
