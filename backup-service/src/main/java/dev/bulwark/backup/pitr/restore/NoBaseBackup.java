package dev.bulwark.backup.pitr.restore;

import dev.bulwark.common.problem.ConflictProblem;

/** 409: a target without any base backup cannot be restored. */
public class NoBaseBackup extends ConflictProblem {

  public NoBaseBackup(String target) {
    super(
        "pitr-no-base-backup",
        "target '"
            + target
            + "' has no base backup yet; take one (POST /api/v1/pitr/base-backups) and retry");
  }
}
