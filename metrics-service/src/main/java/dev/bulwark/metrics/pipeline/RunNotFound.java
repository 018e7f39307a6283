package dev.bulwark.metrics.pipeline;

import dev.bulwark.common.problem.NotFoundProblem;
import java.util.UUID;

/** 404: no pipeline run has this id. */
public final class RunNotFound extends NotFoundProblem {

  public RunNotFound(UUID id) {
    super("run-not-found", "no pipeline run " + id + "; start one with POST /api/v1/pipeline-runs");
  }
}
