package dev.bulwark.metrics.pipeline;

import dev.bulwark.common.problem.InvalidRequestProblem;
import java.time.Instant;

/** 400: a finish time earlier than the run's start. */
public final class FinishedBeforeStart extends InvalidRequestProblem {

  public FinishedBeforeStart(Instant finishedAt, PipelineRun run) {
    super("finishedAt", finishedAt + " is before the run started (" + run.startedAt() + ")");
  }
}
