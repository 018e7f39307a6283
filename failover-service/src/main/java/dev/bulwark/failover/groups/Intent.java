package dev.bulwark.failover.groups;

import java.time.Instant;
import java.util.Optional;

/**
 * A failover decided but not finished: the epoch it took, the candidate to promote (never another
 * one, even after a restart), and what led to it.
 */
public record Intent(
    long epoch,
    String candidate,
    String from,
    int consecutiveFailures,
    Optional<Long> lagBytes,
    Instant detectedAt) {}
