package dev.bulwark.metrics.pipeline;

import dev.bulwark.common.problem.ConflictProblem;

/** 409: the run was finished before, so its outcome stands. */
public final class RunAlreadyFinished extends ConflictProblem {

  public RunAlreadyFinished(PipelineRun run) {
    super(
        "run-finished",
        "pipeline run "
            + run.id()
            + " already finished "
            + run.status().wire()
            + " at "
            + run.finishedAt().map(Object::toString).orElse("an unknown time")
            + "; start a new run instead");
  }
}
