package dev.bulwark.backup.verify;

import dev.bulwark.backup.config.ScratchConfig;
import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.RowCounts;
import dev.bulwark.backup.restore.DatabaseServer;
import dev.bulwark.backup.restore.DatabaseServerUnavailable;
import dev.bulwark.backup.restore.Databases;
import dev.bulwark.backup.restore.RestoreOutcome;
import dev.bulwark.backup.restore.RestorePipeline;
import dev.bulwark.backup.restore.RestoreProgress;
import dev.bulwark.backup.restore.RowCountComparison;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Proves a backup by restoring it into a scratch database and comparing every table's row count
 * with its manifest; the result is stored beside the backup. Blocking: run it on a worker.
 */
@ApplicationScoped
public class BackupVerifier {

  /** Scratch databases are named with it, so an operator can tell them (and stray ones) apart. */
  public static final String SCRATCH_PREFIX = ScratchDatabases.PREFIX;

  // Far longer than any verification runs: older scratch databases were left by a dead replica.
  static final Duration STALE_SCRATCH = Duration.ofDays(1);
  private static final Logger LOG = Logger.getLogger(BackupVerifier.class);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final BackupTargets targets;
  private final Backups backups;
  private final RestorePipeline pipeline;
  private final Optional<DatabaseServer> scratch;
  private final Clock clock;

  @Inject
  public BackupVerifier(
      BackupTargets targets,
      Backups backups,
      RestorePipeline pipeline,
      ScratchConfig config,
      Clock clock) {
    this(
        targets,
        backups,
        pipeline,
        config
            .url()
            .filter(url -> !url.isBlank())
            .map(
                url ->
                    DatabaseServer.parse(
                        "scratch",
                        "bulwark.backup.scratch.url",
                        url,
                        config.username(),
                        config.password())),
        clock);
  }

  /** A verifier with its scratch server given directly; empty: each target's own server. */
  public BackupVerifier(
      BackupTargets targets,
      Backups backups,
      RestorePipeline pipeline,
      Optional<DatabaseServer> scratch,
      Clock clock) {
    this.targets = targets;
    this.backups = backups;
    this.pipeline = pipeline;
    this.scratch = scratch;
    this.clock = clock;
  }

  /** See {@link #verify(String, String, RestoreProgress)}. */
  public BackupVerification verify(String target, String backupId) throws IOException {
    return verify(target, backupId, RestoreProgress.NONE);
  }

  /**
   * Verifies backup {@code backupId} of {@code target} and stores the result. A backup that fails
   * (checksum, decryption, pg_restore, row counts) is a result with {@code passed=false}; the
   * scratch database is dropped either way.
   *
   * @throws dev.bulwark.backup.dumps.TargetNotFound when no target has that name
   * @throws BackupNotFound when the target has no such backup
   * @throws dev.bulwark.backup.restore.KeyNotAvailable when no configured identity decrypts the
   *     backup (before any database is created or any byte read)
   * @throws DatabaseServerUnavailable when the scratch server cannot be reached
   * @throws dev.bulwark.backup.storage.StorageUnavailable when storage fails while reading
   */
  public BackupVerification verify(String target, String backupId, RestoreProgress progress)
      throws IOException {
    BackupTarget backupTarget = targets.named(target);
    BackupManifest manifest =
        backups.find(target, backupId).orElseThrow(() -> new BackupNotFound(target, backupId));
    pipeline.requireKey(manifest);
    DatabaseServer server = scratch.orElseGet(() -> DatabaseServer.of(backupTarget));
    Instant startedAt = clock.instant();
    String database = SCRATCH_PREFIX + HexFormat.of().formatHex(randomBytes());
    int major;
    try (Connection connection = server.connect()) {
      major = Databases.serverMajor(connection);
      for (String stale :
          ScratchDatabases.dropOlderThan(connection, startedAt.minus(STALE_SCRATCH))) {
        LOG.infof("dropped scratch database %s, left by a verification that did not end", stale);
      }
      ScratchDatabases.create(connection, database, startedAt);
    } catch (SQLException e) {
      throw new DatabaseServerUnavailable(server, e.getMessage());
    }
    List<String> mismatches = new ArrayList<>();
    SortedMap<String, Long> restored = new TreeMap<>();
    try {
      RestoreOutcome outcome = pipeline.run(manifest, server, major, database, false, progress);
      mismatches.addAll(outcome.failures());
      if (outcome.restored()) {
        restored = rowCounts(server, database);
        mismatches.addAll(RowCountComparison.mismatches(manifest.rowCounts(), restored));
      }
    } catch (IOException | RuntimeException e) {
      dropAfterFailure(server, database, e);
      throw e;
    }
    drop(server, database);
    BackupVerification verification =
        new BackupVerification(
            target,
            backupId,
            startedAt,
            clock.instant(),
            mismatches.isEmpty(),
            mismatches,
            restored);
    backups.saveVerification(verification);
    return verification;
  }

  private static SortedMap<String, Long> rowCounts(DatabaseServer server, String database) {
    try (Connection connection = server.connect(database)) {
      return RowCounts.of(connection);
    } catch (SQLException e) {
      throw new DatabaseServerUnavailable(server, e.getMessage());
    }
  }

  private static void drop(DatabaseServer server, String database) {
    try (Connection connection = server.connect()) {
      Databases.drop(connection, database);
    } catch (SQLException e) {
      throw new DatabaseServerUnavailable(
          server, "cannot drop scratch database " + database + ": " + e.getMessage());
    }
  }

  // The verification's own failure is what the caller needs; a failing drop only rides along.
  private static void dropAfterFailure(DatabaseServer server, String database, Exception failure) {
    try {
      drop(server, database);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
