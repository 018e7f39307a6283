package dev.bulwark.metrics.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** One run of the nightly pipeline; {@code finishedAt} is empty while it runs. */
public record PipelineRun(
    UUID id,
    Instant startedAt,
    Optional<Instant> finishedAt,
    RunStatus status,
    Map<String, Long> counts) {}
