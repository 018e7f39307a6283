package dev.bulwark.backup.jobs;

import dev.bulwark.common.problem.ConflictProblem;
import java.util.UUID;

/** 409: the same work is already running; it is never run twice at once. */
public class JobAlreadyRunning extends ConflictProblem {

  private final UUID runningJob;

  public JobAlreadyRunning(JobKind kind, String subject, UUID runningJob) {
    super(
        "job-already-running",
        "a "
            + kind.wire()
            + " of '"
            + subject
            + "' is already running as job "
            + runningJob
            + "; follow it at /api/v1/jobs/"
            + runningJob
            + " and try again once it has finished");
    this.runningJob = runningJob;
  }

  public UUID runningJob() {
    return runningJob;
  }
}
