package dev.bulwark.backup.restore;

/** A pg_restore that exited with an error: its status and the end of its stderr. */
public record PgRestoreExit(int status, String stderrTail) {

  @Override
  public String toString() {
    return "pg_restore exited with status " + status + ": " + stderrTail;
  }
}
