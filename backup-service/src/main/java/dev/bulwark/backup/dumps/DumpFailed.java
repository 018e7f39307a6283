package dev.bulwark.backup.dumps;

import dev.bulwark.common.problem.UnavailableProblem;

/** 503: pg_dump of a target failed; its exit status and stderr say why. */
public class DumpFailed extends UnavailableProblem {

  /** pg_dump's stderr is short; a runaway one is cut to its end, where the error is. */
  static final int MAX_STDERR = 4000;

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
            + tail(stderr.strip()));
    this.exitStatus = exitStatus;
    this.stderr = stderr;
  }

  public int exitStatus() {
    return exitStatus;
  }

  /** pg_dump's whole stderr. */
  public String stderr() {
    return stderr;
  }

  private static String tail(String text) {
    return text.length() <= MAX_STDERR ? text : "..." + text.substring(text.length() - MAX_STDERR);
  }
}
