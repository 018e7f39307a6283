package dev.bulwark.metrics.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One run of the nightly pipeline; {@code finishedAt} is null while it runs. */
public record PipelineRun(
    UUID id, Instant startedAt, Instant finishedAt, RunStatus status, Map<String, Long> counts) {}
