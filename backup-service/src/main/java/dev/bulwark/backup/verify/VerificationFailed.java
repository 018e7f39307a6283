package dev.bulwark.backup.verify;

import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.common.problem.ConflictProblem;

/** A verification that ran and found the backup wrong: the job fails, and is not tried again. */
public class VerificationFailed extends ConflictProblem {

  public VerificationFailed(BackupVerification verification) {
    super(
        "backup-verification-failed",
        "backup "
            + verification.backupId()
            + " of target '"
            + verification.target()
            + "' failed verification: "
            + String.join("; ", verification.mismatches()));
  }
}
