package dev.bulwark.backup.mirror;

import java.time.Instant;
import java.util.Optional;

/**
 * The last run of a mirror, as every replica reads it: when it started and finished, when a run
 * last completed, and its failed and pending objects ({@code pending} is empty when the run failed
 * before it knew).
 */
public record MirrorRun(
    String mirror,
    Instant startedAt,
    Instant finishedAt,
    Optional<Instant> lastSuccessAt,
    long failedObjects,
    Optional<Long> pendingObjects) {}
