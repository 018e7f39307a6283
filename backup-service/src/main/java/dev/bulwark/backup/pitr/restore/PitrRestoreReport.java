package dev.bulwark.backup.pitr.restore;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a restore to a point did: the base backup used, the point asked and the point reached (from
 * the recovered server), the WAL fetched, and the seconds of each phase.
 *
 * @param timeline the timeline recovery followed to the point (the newest archived; its {@code
 *     .history} gives the path across failovers)
 * @param reachedTime {@code pg_last_xact_replay_timestamp()}: the last transaction replayed
 * @param reachedLsn {@code pg_last_wal_replay_lsn()}
 * @param phaseSeconds plan, fetch-wal, extract, verify, recover
 */
public record PitrRestoreReport(
    String target,
    String baseBackupId,
    String asked,
    String dataDirectory,
    String walStaging,
    int walFiles,
    long walBytes,
    boolean started,
    long timeline,
    Optional<Instant> reachedTime,
    Optional<String> reachedLsn,
    Optional<Long> tables,
    Map<String, Double> phaseSeconds) {

  public PitrRestoreReport {
    phaseSeconds = Map.copyOf(phaseSeconds);
  }
}
