package dev.bulwark.backup.restore;

import dev.bulwark.common.problem.ConflictProblem;
import java.util.List;

/**
 * 409: the stored backup is not the one its manifest describes (checksum, size, or it does not
 * decrypt): restore another backup; retrying this one cannot help.
 */
public class BackupCorrupted extends ConflictProblem {

  private final List<String> mismatches;

  public BackupCorrupted(String target, String backupId, List<String> mismatches) {
    super(
        "backup-corrupted",
        "backup '"
            + backupId
            + "' of target '"
            + target
            + "' is corrupted ("
            + String.join("; ", mismatches)
            + "): restore another backup");
    this.mismatches = List.copyOf(mismatches);
  }

  public List<String> mismatches() {
    return mismatches;
  }
}
