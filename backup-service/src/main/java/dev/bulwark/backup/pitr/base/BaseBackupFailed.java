package dev.bulwark.backup.pitr.base;

/** pg_basebackup failed; its stderr says why (it never holds the password: that is in env). */
public class BaseBackupFailed extends RuntimeException {

  public BaseBackupFailed(String target, int exit, String stderr) {
    super(
        "pg_basebackup of target '" + target + "' failed (exit " + exit + "): " + stderr.strip(),
        null,
        false,
        false);
  }

  public BaseBackupFailed(String target, String why) {
    super("base backup of target '" + target + "' failed: " + why, null, false, false);
  }
}
