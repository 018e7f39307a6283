package dev.bulwark.backup.pitr.restore;

import dev.bulwark.common.problem.ConflictProblem;

/** 409: a WAL segment the restore needs is not archived; recovery would stop short at it. */
public class WalGapFound extends ConflictProblem {

  public WalGapFound(String target, String missingSegment, String baseBackupId) {
    super(
        "pitr-wal-gap",
        "the archived WAL of target '"
            + target
            + "' misses segment "
            + missingSegment
            + ", needed to recover from base backup "
            + baseBackupId
            + "; restore to a point before it, or take a new base backup to restore from after it");
  }
}
