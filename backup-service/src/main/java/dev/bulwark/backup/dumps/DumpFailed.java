package dev.bulwark.backup.dumps;

import dev.bulwark.common.problem.UnavailableProblem;

/** 503: pg_dump of a target failed; its exit status and stderr say why. */
public class DumpFailed extends UnavailableProblem {

  private final int exitStatus;
  private final String stderr;

  public DumpFailed(String target, int exitStatus, String stderr) {
    super(
        "backup-dump-failed",
        "pg_dump of target '"
            + target
            + "' exited with status "
            + exitStatus
            + ": "
            + stderr.strip());
    this.exitStatus = exitStatus;
    this.stderr = stderr;
  }

  public int exitStatus() {
    return exitStatus;
  }

  public String stderr() {
    return stderr;
  }
}
