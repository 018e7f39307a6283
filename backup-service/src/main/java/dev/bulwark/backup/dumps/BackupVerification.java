package dev.bulwark.backup.dumps;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * The outcome of proving one backup by a restore, stored beside it as {@code verification.json}
 * (the latest replaces the one before).
 *
 * @param passed the stored object's SHA-256 matched, it decrypted and restored, and every table's
 *     row count equals the manifest's
 * @param mismatches what differed, one sentence each (empty when it passed)
 * @param restoredRowCounts the row counts found after the restore (empty when it never got there)
 */
public record BackupVerification(
    String target,
    String backupId,
    Instant startedAt,
    Instant finishedAt,
    boolean passed,
    List<String> mismatches,
    SortedMap<String, Long> restoredRowCounts) {

  public BackupVerification {
    mismatches = List.copyOf(mismatches);
  }
}
