package dev.bulwark.backup.dumps;

import dev.bulwark.backup.config.BackupConfig;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeRecipient;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.EncryptedBackupOutput;
import dev.bulwark.backup.crypto.KeepOpenOutputStream;
import dev.bulwark.backup.crypto.StreamTotals;
import dev.bulwark.backup.storage.BackupIds;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.subprocess.ChildProcesses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Takes one logical backup of a target: pg_dump in an exported snapshot, streamed through zstd and
 * age into storage, then the manifest that makes the backup exist. Blocking: run it on a worker.
 */
@ApplicationScoped
public class LogicalBackup {

  private static final int DUMP_READ = 256 * 1024;

  private final BackupTargets targets;
  private final ObjectStorage storage;
  private final AgeKeyring keyring;
  private final PgDumpBinary pgDump;
  private final Clock clock;
  private final Duration dumpTimeout;

  @Inject
  public LogicalBackup(
      BackupTargets targets,
      ObjectStorage storage,
      AgeKeyring keyring,
      PgDumpBinary pgDump,
      Clock clock,
      BackupConfig config) {
    this(targets, storage, keyring, pgDump, clock, config.dumpTimeout());
  }

  /** A backup whose pg_dump is stopped after {@code dumpTimeout}. */
  public LogicalBackup(
      BackupTargets targets,
      ObjectStorage storage,
      AgeKeyring keyring,
      PgDumpBinary pgDump,
      Clock clock,
      Duration dumpTimeout) {
    this.targets = targets;
    this.storage = storage;
    this.keyring = keyring;
    this.pgDump = pgDump;
    this.clock = clock;
    this.dumpTimeout = dumpTimeout;
  }

  /** A backup with the default time limit of pg_dump (six hours). */
  public LogicalBackup(
      BackupTargets targets,
      ObjectStorage storage,
      AgeKeyring keyring,
      PgDumpBinary pgDump,
      Clock clock) {
    this(targets, storage, keyring, pgDump, clock, Duration.ofHours(6));
  }

  /**
   * Backs up the target called {@code targetName}.
   *
   * @throws TargetNotFound when no target has that name
   * @throws RecipientMissing when no age recipient is configured (checked before any work)
   * @throws SnapshotUnavailable when the target cannot be reached or read
   * @throws DumpFailed when pg_dump exits with an error; nothing is left in storage then
   */
  public BackupManifest run(String targetName) throws IOException {
    BackupTarget target = targets.named(targetName);
    AgeRecipient recipient = keyring.recipient().orElseThrow(RecipientMissing::new);
    Instant startedAt = clock.instant();
    String backupId = BackupIds.startedAt(startedAt);
    ObjectKey dumpKey = BackupObjects.keyOf(target.name(), backupId, BackupObjects.DUMP);
    try (Connection connection = connect(target)) {
      Snapshot snapshot;
      try {
        snapshot = SnapshotReader.export(connection);
      } catch (SQLException e) {
        throw new SnapshotUnavailable(target.name(), e.getMessage());
      }
      // Rows are counted in the snapshot while pg_dump runs in it: the counts cost no wall time.
      CompletableFuture<SortedMap<String, Long>> counting = countRows(connection);
      StreamTotals totals;
      try {
        totals = dump(target, snapshot, recipient, dumpKey);
        SortedMap<String, Long> rowCounts = rowCounts(target, counting);
        BackupManifest manifest =
            new BackupManifest(
                target.name(),
                backupId,
                startedAt,
                clock.instant(),
                snapshot.serverVersionNum(),
                dumpKey.value(),
                totals.rawBytes(),
                totals.storedBytes(),
                totals.storedSha256(),
                recipient.keyId(),
                rowCounts);
        // Last: a dump without its manifest is not a backup.
        storage.put(
            BackupObjects.keyOf(target.name(), backupId, BackupObjects.MANIFEST),
            new ByteArrayInputStream(BackupJson.write(manifest)));
        return manifest;
      } catch (IOException | RuntimeException e) {
        // The connection closes only once the counting that uses it has ended.
        counting.exceptionally(failure -> null).join();
        deleteAfterFailure(dumpKey, e);
        throw e;
      }
    } catch (SQLException e) {
      // Closing the snapshot's transaction failed after the backup was written: it stands.
      throw new SnapshotUnavailable(target.name(), e.getMessage());
    }
  }

  private static CompletableFuture<SortedMap<String, Long>> countRows(Connection connection) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return RowCounts.of(connection);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        work -> {
          Thread thread = new Thread(work, "backup-row-counts");
          thread.setDaemon(true);
          thread.start();
        });
  }

  private static SortedMap<String, Long> rowCounts(
      BackupTarget target, CompletableFuture<SortedMap<String, Long>> counting) {
    try {
      return counting.join();
    } catch (CompletionException e) {
      throw new SnapshotUnavailable(target.name(), e.getCause().getMessage());
    }
  }

  private static Connection connect(BackupTarget target) {
    Properties properties = new Properties();
    target.username().ifPresent(u -> properties.setProperty("user", u));
    target.password().ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("ApplicationName", "bulwark-backup");
    try {
      return DriverManager.getConnection(target.jdbcUrl(), properties);
    } catch (SQLException e) {
      throw new SnapshotUnavailable(target.name(), e.getMessage());
    }
  }

  private StreamTotals dump(
      BackupTarget target, Snapshot snapshot, AgeRecipient recipient, ObjectKey dumpKey)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(pgDump.forMajor(snapshot.major()).toString());
    command.addAll(
        List.of(
            "--format=custom",
            "--compress=0",
            "--snapshot=" + snapshot.id(),
            "--no-password",
            "--host=" + target.host(),
            "--port=" + target.port(),
            "--dbname=" + target.database()));
    target.username().ifPresent(u -> command.add("--username=" + u));
    Path stderr = Files.createTempFile("pg_dump-", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectError(stderr.toFile());
      ChildProcesses.withPassword(builder, target.password());
      Process process = builder.start();
      // A pg_dump that outlives its limit is killed: its stream ends and the exit status fails.
      AtomicBoolean timedOut = new AtomicBoolean();
      CompletableFuture<Void> watchdog =
          CompletableFuture.runAsync(
              () -> {
                if (process.isAlive()) {
                  timedOut.set(true);
                  process.destroyForcibly();
                }
              },
              CompletableFuture.delayedExecutor(dumpTimeout.toMillis(), TimeUnit.MILLISECONDS));
      AtomicReference<StreamTotals> totals = new AtomicReference<>();
      try {
        storage.put(
            dumpKey,
            out -> {
              EncryptedBackupOutput encrypted =
                  BackupStreams.encrypt(new KeepOpenOutputStream(out), recipient, keyring.zstd());
              try (InputStream dump = process.getInputStream();
                  encrypted) {
                // Large reads: pg_dump's pipe and zstd's JNI calls cost per call, not per byte.
                byte[] buffer = new byte[DUMP_READ];
                for (int n; (n = dump.read(buffer)) >= 0; ) {
                  encrypted.write(buffer, 0, n);
                }
              }
              int exit = ChildProcesses.waitFor(process, "pg_dump");
              if (exit != 0) {
                // Thrown inside the body, so that storage publishes nothing.
                String errors = Files.readString(stderr, StandardCharsets.UTF_8);
                if (timedOut.get()) {
                  errors +=
                      "\npg_dump ran longer than bulwark.backup.dump-timeout ("
                          + dumpTimeout
                          + ") and was stopped";
                }
                throw new DumpFailed(target.name(), exit, errors);
              }
              totals.set(encrypted.totals());
            });
      } finally {
        watchdog.cancel(false);
        process.destroy();
      }
      return totals.get();
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  // The run's own failure is what the caller needs; a failing delete only rides along with it.
  private void deleteAfterFailure(ObjectKey dumpKey, Exception failure) {
    try {
      storage.delete(dumpKey);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
