package dev.bulwark.failover.groups;

import java.time.Instant;
import java.util.Optional;

/**
 * One recorded event of a group: a promotion, a refusal, a failed promotion, a fencing, a pause.
 * {@code id} orders events (newest highest); it is zero before the event is stored.
 */
public record FailoverEvent(
    long id,
    String group,
    Instant at,
    EventKind kind,
    long epoch,
    Optional<String> oldPrimary,
    Optional<String> newPrimary,
    Optional<Integer> consecutiveFailures,
    Optional<Long> lagBytes,
    String detail) {

  /** An event to store, without id. */
  public static FailoverEvent of(
      String group,
      Instant at,
      EventKind kind,
      long epoch,
      Optional<String> oldPrimary,
      Optional<String> newPrimary,
      Optional<Integer> consecutiveFailures,
      Optional<Long> lagBytes,
      String detail) {
    return new FailoverEvent(
        0, group, at, kind, epoch, oldPrimary, newPrimary, consecutiveFailures, lagBytes, detail);
  }

  /** The same event in another epoch (known only once its decision is stored). */
  public FailoverEvent withEpoch(long newEpoch) {
    return new FailoverEvent(
        id,
        group,
        at,
        kind,
        newEpoch,
        oldPrimary,
        newPrimary,
        consecutiveFailures,
        lagBytes,
        detail);
  }
}
