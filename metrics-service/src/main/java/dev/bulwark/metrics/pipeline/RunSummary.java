package dev.bulwark.metrics.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the pipeline gauges show: the last success and the last finished run's duration (empty until
 * there is one), runs in progress, whether a run succeeded in the deadline's window, and whether
 * any run was ever reported.
 */
public record RunSummary(
    Optional<Instant> lastSuccess,
    Optional<Duration> lastDuration,
    long running,
    boolean succeededInWindow,
    boolean anyRun) {}
