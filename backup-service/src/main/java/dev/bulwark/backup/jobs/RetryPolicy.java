package dev.bulwark.backup.jobs;

import dev.bulwark.common.problem.ProblemException;

/** Which failures a job tries again: those of the world (storage, database), not of the request. */
public enum RetryPolicy {
  /** Try again after a failure that a later try can outlive (not a 4xx problem). */
  TRANSIENT_FAILURES,
  /** Never try again: the work is not safe to repeat (a restore half applied). */
  NEVER;

  boolean retries(Throwable failure) {
    if (this == NEVER) {
      return false;
    }
    return !(failure instanceof ProblemException problem && problem.status() < 500)
        && !(failure instanceof InterruptedException);
  }
}
