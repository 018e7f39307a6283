package dev.bulwark.backup.restore;

import dev.bulwark.common.problem.UnavailableProblem;

/** 503: pg_restore exited with an error; its exit status and the end of its stderr say why. */
public class RestoreFailed extends UnavailableProblem {

  private final int exitStatus;
  private final String stderrTail;

  public RestoreFailed(String backupId, String database, PgRestoreExit exit) {
    super(
        "restore-failed",
        "restoring backup '" + backupId + "' into database '" + database + "' failed: " + exit);
    this.exitStatus = exit.status();
    this.stderrTail = exit.stderrTail();
  }

  public int exitStatus() {
    return exitStatus;
  }

  /** The last lines of pg_restore's stderr, where --exit-on-error puts the error. */
  public String stderrTail() {
    return stderrTail;
  }
}
