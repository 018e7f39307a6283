package dev.bulwark.failover.groups;

import java.time.Instant;
import java.util.Optional;

/** A group's decisive state as stored in failover-service's own store (schema failover). */
public record GroupState(
    String group,
    long epoch,
    String primary,
    boolean paused,
    Optional<Intent> intent,
    Optional<Instant> lastFailoverAt) {

  /** The member that is (or, during an intent, is becoming) the primary of this epoch. */
  public String designated() {
    return intent.map(Intent::candidate).orElse(primary);
  }
}
