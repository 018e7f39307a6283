package dev.bulwark.metrics.api;

import dev.bulwark.metrics.pipeline.PipelineRun;
import dev.bulwark.metrics.pipeline.RunStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A pipeline run as the API shows it; {@code finishedAt} is JSON null while it runs. */
public record PipelineRunView(
    UUID id, Instant startedAt, Instant finishedAt, RunStatus status, Map<String, Long> counts) {

  static PipelineRunView of(PipelineRun run) {
    return new PipelineRunView(
        run.id(), run.startedAt(), run.finishedAt().orElse(null), run.status(), run.counts());
  }
}
