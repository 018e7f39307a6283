package dev.bulwark.failover.drills;

import java.time.Instant;
import java.util.Optional;

/** One drill of a group: running, or finished with its report (or why it failed). */
public record Drill(
    long id,
    String group,
    DrillKind kind,
    DrillState state,
    Instant startedAt,
    Optional<Instant> finishedAt,
    Optional<DrillReport> report,
    Optional<String> error) {}
