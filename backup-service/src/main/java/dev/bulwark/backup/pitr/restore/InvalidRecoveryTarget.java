package dev.bulwark.backup.pitr.restore;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** 400: the restore's point is not exactly one of a time, an LSN or latest. */
public class InvalidRecoveryTarget extends InvalidRequestProblem {

  public InvalidRecoveryTarget(String field, String message) {
    super(field, message);
  }
}
