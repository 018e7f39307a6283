package dev.bulwark.backup.dumps;

import dev.bulwark.common.problem.NotFoundProblem;

/** 404: the target has no backup with the id asked for (or it was deleted by retention). */
public class BackupNotFound extends NotFoundProblem {

  public BackupNotFound(String target, String backupId) {
    super(
        "backup-not-found",
        "target '"
            + target
            + "' has no backup '"
            + backupId
            + "'; GET /api/v1/backups?target="
            + target
            + " lists the ones there are");
  }
}
