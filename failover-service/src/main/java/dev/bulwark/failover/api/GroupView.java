package dev.bulwark.failover.api;

import dev.bulwark.failover.groups.GroupStatus;
import java.time.Instant;
import java.util.List;

/** A group: its primary and epoch as stored, its state, and each member's last check. */
public record GroupView(
    String group,
    String kind,
    String primary,
    long epoch,
    boolean paused,
    String state,
    Instant lastFailoverAt,
    List<MemberView> members) {

  static GroupView of(GroupStatus status) {
    return new GroupView(
        status.group(),
        status.kind().name().toLowerCase(),
        status.primary().orElse(null),
        status.epoch(),
        status.paused(),
        status.health().wire(),
        status.lastFailoverAt().orElse(null),
        status.members().stream().map(MemberView::of).toList());
  }
}
