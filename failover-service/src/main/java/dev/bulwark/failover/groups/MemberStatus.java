package dev.bulwark.failover.groups;

import java.time.Instant;
import java.util.Optional;

/**
 * What failover-service knows of one member now: its role, its last check and, for a postgres
 * standby, how many bytes of WAL it lags behind the primary (or behind the furthest member while
 * the primary is down), the WAL position it replayed by its last successful check and, out of
 * recovery, the timeline it writes on.
 */
public record MemberStatus(
    String name,
    Role role,
    boolean up,
    boolean inRecovery,
    int consecutiveFailures,
    Optional<Long> lagBytes,
    Optional<Instant> lastCheckAt,
    Optional<String> lastError,
    Optional<Instant> failingSince,
    Optional<Long> replayLsn,
    Optional<Long> timeline) {}
