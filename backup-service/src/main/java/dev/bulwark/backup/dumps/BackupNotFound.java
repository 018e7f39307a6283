package dev.bulwark.backup.dumps;

import dev.bulwark.common.problem.NotFoundProblem;

/** 404: the target has no backup with the id asked for (no manifest under it). */
public class BackupNotFound extends NotFoundProblem {

  public BackupNotFound(String target, String backupId) {
    super(
        "backup-not-found",
        "backup target '"
            + target
            + "' has no backup '"
            + backupId
            + "'; list the target's backups for their ids");
  }
}
