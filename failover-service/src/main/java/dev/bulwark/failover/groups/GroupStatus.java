package dev.bulwark.failover.groups;

import dev.bulwark.failover.config.FailoverConfig.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A group as failover-service sees it after its last check: the stored epoch and primary (empty
 * before the first primary is known) and each member's status.
 */
public record GroupStatus(
    String group,
    Kind kind,
    Optional<String> primary,
    long epoch,
    boolean paused,
    GroupHealth health,
    Optional<Instant> lastFailoverAt,
    List<MemberStatus> members) {

  public GroupStatus {
    members = List.copyOf(members);
  }

  public Optional<MemberStatus> member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
