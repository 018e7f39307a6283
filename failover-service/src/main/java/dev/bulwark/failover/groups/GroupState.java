package dev.bulwark.failover.groups;

import java.time.Instant;
import java.util.Optional;

/**
 * A group's decisive state as stored in failover-service's own store (schema failover); {@code
 * primaryTimeline} is the PostgreSQL timeline the epoch's primary was last seen writing on (empty
 * until seen in this epoch, and for http/tcp groups).
 */
public record GroupState(
    String group,
    long epoch,
    String primary,
    boolean paused,
    Optional<Intent> intent,
    Optional<Instant> lastFailoverAt,
    Optional<Long> primaryTimeline) {

  /** The member that is (or, during an intent, is becoming) the primary of this epoch. */
  public String designated() {
    return intent.map(Intent::candidate).orElse(primary);
  }

  /** The same state with the primary seen on {@code timeline}. */
  public GroupState withPrimaryTimeline(long timeline) {
    return new GroupState(
        group, epoch, primary, paused, intent, lastFailoverAt, Optional.of(timeline));
  }
}
