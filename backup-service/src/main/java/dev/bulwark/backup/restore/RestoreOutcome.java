package dev.bulwark.backup.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one run of the {@link RestorePipeline} found.
 *
 * @param storedBytesRead bytes of the stored object read
 * @param tablesRestored tables whose data pg_restore loaded
 * @param backupMismatches how the stored object differs from its manifest (SHA-256, size, it does
 *     not decrypt), one sentence each; empty when it is intact
 * @param pgRestoreFailure pg_restore's error exit, unless the pipeline stopped it itself
 */
public record RestoreOutcome(
    long storedBytesRead,
    int tablesRestored,
    List<String> backupMismatches,
    Optional<PgRestoreExit> pgRestoreFailure) {

  public RestoreOutcome {
    backupMismatches = List.copyOf(backupMismatches);
  }

  /** The backup was intact and pg_restore finished without error. */
  public boolean restored() {
    return backupMismatches.isEmpty() && pgRestoreFailure.isEmpty();
  }

  /** Every failure as a sentence: the backup's mismatches, then pg_restore's error. */
  public List<String> failures() {
    List<String> all = new ArrayList<>(backupMismatches);
    pgRestoreFailure.ifPresent(exit -> all.add(exit.toString()));
    return all;
  }
}
