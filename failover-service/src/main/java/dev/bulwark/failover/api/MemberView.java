package dev.bulwark.failover.api;

import dev.bulwark.failover.groups.MemberStatus;
import java.time.Instant;

/**
 * One member in a group's view; lagBytes only for a postgres standby whose lag is known, timeline
 * only for a postgres member out of recovery (the timeline it writes on).
 */
public record MemberView(
    String name,
    String role,
    boolean up,
    int consecutiveFailures,
    Long lagBytes,
    Instant lastCheckAt,
    String lastError,
    Long timeline) {

  static MemberView of(MemberStatus member) {
    return new MemberView(
        member.name(),
        member.role().wire(),
        member.up(),
        member.consecutiveFailures(),
        member.lagBytes().orElse(null),
        member.lastCheckAt().orElse(null),
        member.lastError().orElse(null),
        member.timeline().orElse(null));
  }
}
