package dev.bulwark.failover.api;

import dev.bulwark.failover.groups.FailoverEvent;
import java.time.Instant;

/** One failover event: what happened, in which epoch, from which primary to which, and why. */
public record EventView(
    long id,
    Instant at,
    String kind,
    long epoch,
    String oldPrimary,
    String newPrimary,
    Integer consecutiveFailures,
    Long lagBytes,
    String detail) {

  static EventView of(FailoverEvent event) {
    return new EventView(
        event.id(),
        event.at(),
        event.kind().wire(),
        event.epoch(),
        event.oldPrimary().orElse(null),
        event.newPrimary().orElse(null),
        event.consecutiveFailures().orElse(null),
        event.lagBytes().orElse(null),
        event.detail());
  }
}
