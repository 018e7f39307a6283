package dev.bulwark.backup.pitr.wal;

import java.util.Optional;

/** Asks failover-service which member of a group is its primary. */
@FunctionalInterface
public interface FailoverLookup {

  /** For receivers of targets that name no failover group. */
  FailoverLookup NONE =
      group -> {
        throw new IllegalStateException("no failover-service is configured");
      };

  /**
   * The member failover-service names as {@code group}'s primary; empty while it names none.
   *
   * @throws RuntimeException when failover-service does not answer, or refuses
   */
  Optional<String> primaryMember(String group);
}
