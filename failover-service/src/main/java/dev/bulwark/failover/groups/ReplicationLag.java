package dev.bulwark.failover.groups;

import dev.bulwark.failover.checks.PostgresFacts;
import java.util.Collection;
import java.util.Optional;

/** How far a postgres member's replay is behind the furthest WAL position known in its group. */
final class ReplicationLag {

  private ReplicationLag() {}

  /** Bytes of WAL {@code member} lags; empty when its last check failed. */
  static Optional<Long> of(MemberTrack member, Collection<MemberTrack> group) {
    Optional<Long> replayed = member.liveFacts().flatMap(PostgresFacts::replayLsn);
    if (replayed.isEmpty()) {
      return Optional.empty();
    }
    // The primary's last known position (also after it died), else the furthest a standby got.
    long reference =
        group.stream()
            .flatMap(t -> t.lastFacts.stream())
            .mapToLong(PostgresFacts::furthestLsn)
            .max()
            .orElse(0);
    return Optional.of(Math.max(0, reference - replayed.get()));
  }
}
