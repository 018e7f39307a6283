package dev.bulwark.backup.restore;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * The final report of a restore.
 *
 * @param databaseCreated the restore created the database (it did not exist)
 * @param storedBytes bytes of the stored object read
 * @param tablesRestored tables whose data pg_restore loaded
 * @param manifestRowCounts the row counts the backup was taken with
 * @param restoredRowCounts the row counts of the database after the restore
 * @param mismatches how the two differ, one sentence per table (after a forced restore, tables that
 *     were not in the backup show here, since they are kept)
 */
public record RestoreReport(
    String target,
    String backupId,
    String database,
    boolean databaseCreated,
    Instant startedAt,
    Instant finishedAt,
    long storedBytes,
    int tablesRestored,
    SortedMap<String, Long> manifestRowCounts,
    SortedMap<String, Long> restoredRowCounts,
    List<String> mismatches) {

  public RestoreReport {
    mismatches = List.copyOf(mismatches);
  }
}
