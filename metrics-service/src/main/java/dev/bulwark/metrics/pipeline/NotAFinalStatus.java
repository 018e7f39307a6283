package dev.bulwark.metrics.pipeline;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** 400: a run is finished as succeeded or failed, never as running. */
public final class NotAFinalStatus extends InvalidRequestProblem {

  public NotAFinalStatus() {
    super("status", "must be succeeded or failed");
  }
}
