package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.config.BaseBackupConfig;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeRecipient;
import dev.bulwark.backup.crypto.BackupStreams;
import dev.bulwark.backup.crypto.EncryptedBackupOutput;
import dev.bulwark.backup.crypto.KeepOpenOutputStream;
import dev.bulwark.backup.crypto.StreamTotals;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.dumps.RecipientMissing;
import dev.bulwark.backup.dumps.SnapshotUnavailable;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.wal.HostPort;
import dev.bulwark.backup.pitr.wal.WalArchiving;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Takes one base backup of a target: {@code pg_basebackup -Ft -X fetch -D -}, a tar with the WAL
 * from start to end (so that the backup is consistent on its own) and pg_basebackup's {@code
 * backup_manifest}, cut at member boundaries into pieces ({@link TarPieceCutter}) that are streamed
 * through zstd and age into storage side by side ({@link PieceUploads}); the manifest is caught
 * from the stream as it passes and stored beside them, then {@code manifest.json}, last. Memory
 * stays flat whatever the database's size. Blocking: run it on a worker.
 */
@ApplicationScoped
public class PgBaseBackup {

  private static final Logger LOG = Logger.getLogger(PgBaseBackup.class);
  private static final int READ = 256 * 1024;
  // backup_manifest lists every file; 64 MiB is millions of them.
  private static final long MANIFEST_LIMIT = 64L * 1024 * 1024;

  private final BackupTargets targets;
  private final ObjectStorage storage;
  private final AgeKeyring keyring;
  private final PgDumpBinary binaries;
  private final Clock clock;
  private final PieceSettings pieces;
  private final Function<String, Optional<HostPort>> primaryOf;

  @Inject
  public PgBaseBackup(
      BackupTargets targets,
      ObjectStorage storage,
      AgeKeyring keyring,
      PgDumpBinary binaries,
      Clock clock,
      BaseBackupConfig config,
      WalArchiving archiving) {
    this(
        targets, storage, keyring, binaries, clock, PieceSettings.of(config), archiving::primaryOf);
  }

  /**
   * A base backup with explicit piece settings; {@code primaryOf} names the server to read a target
   * from when it is not the target's URL (see {@link WalArchiving#primaryOf}). Package-private: CDI
   * uses the constructor above, tests build one with defaults through their {@code
   * PgBaseBackupBuilder}.
   */
  PgBaseBackup(
      BackupTargets targets,
      ObjectStorage storage,
      AgeKeyring keyring,
      PgDumpBinary binaries,
      Clock clock,
      PieceSettings pieces,
      Function<String, Optional<HostPort>> primaryOf) {
    this.targets = targets;
    this.storage = storage;
    this.keyring = keyring;
    this.binaries = binaries;
    this.clock = clock;
    this.pieces = pieces;
    this.primaryOf = primaryOf;
  }

  /**
   * Backs up {@code targetName}; a run that fails leaves no manifest, and removes what it stored.
   *
   * @throws dev.bulwark.backup.dumps.TargetNotFound when no target has that name
   * @throws RecipientMissing when no age recipient is configured
   * @throws SnapshotUnavailable when the server cannot be reached
   * @throws BaseBackupFailed when pg_basebackup fails
   */
  public BaseBackupManifest run(String targetName) throws IOException {
    BackupTarget configured = targets.named(targetName);
    // The primary the WAL archive follows: after a failover the URL may name the old one.
    BackupTarget target =
        primaryOf
            .apply(configured.name())
            .map(primary -> configured.at(primary.host(), primary.port()))
            .orElse(configured);
    AgeRecipient recipient = keyring.recipient().orElseThrow(RecipientMissing::new);
    ServerFacts server = serverFacts(target);
    Instant startedAt = clock.instant();
    String backupId = BackupIds.startedAt(startedAt);
    ObjectKey pgManifestKey =
        BaseBackupObjects.keyOf(target.name(), backupId, BaseBackupObjects.PG_MANIFEST);
    List<ObjectKey> stored = new ArrayList<>();
    try {
      Streamed streamed = streamBaseBackup(target, server, recipient, backupId, stored);
      StreamTotals pgManifest =
          putEncrypted(pgManifestKey, new ByteArrayInputStream(streamed.pgManifest()), recipient);
      long start = WalSegmentName.parseLsn(streamed.range().startLsn());
      long end = WalSegmentName.parseLsn(streamed.range().endLsn());
      long timeline = streamed.range().timeline();
      Map<String, BaseBackupManifest.StoredPart> objects = new LinkedHashMap<>(streamed.pieces());
      objects.put(BaseBackupObjects.PG_MANIFEST, part(pgManifest));
      BaseBackupManifest manifest =
          new BaseBackupManifest(
              target.name(),
              backupId,
              startedAt,
              clock.instant(),
              server.versionNum(),
              timeline,
              streamed.range().startLsn(),
              streamed.range().endLsn(),
              WalSegmentName.ofLsn(timeline, start, server.walSegmentSize()).format(),
              // The end LSN points past the last record: at a segment boundary, that record is in
              // the segment before.
              WalSegmentName.ofLsn(timeline, Math.max(start, end - 1), server.walSegmentSize())
                  .format(),
              server.walSegmentSize(),
              true,
              objects,
              recipient.keyId());
      // Last: a tar without its manifest is not a base backup.
      storage.put(
          BaseBackupObjects.keyOf(target.name(), backupId, BaseBackupObjects.MANIFEST),
          new ByteArrayInputStream(BaseBackupJson.write(manifest)));
      return manifest;
    } catch (IOException | RuntimeException e) {
      stored.add(pgManifestKey);
      int left = 0;
      for (ObjectKey key : stored) {
        try {
          storage.delete(key);
        } catch (RuntimeException deleteFailed) {
          e.addSuppressed(deleteFailed);
          left++;
        }
      }
      if (left > 0) {
        // Storage that failed the backup usually fails its deletes too: say what stays, and who
        // removes it, once (the job's error names the first failure).
        LOG.warnf(
            "base backup %s of target %s failed, and deleting what it stored failed for %d of"
                + " its %d keys (storage down?): PITR retention deletes what is left once older"
                + " than bulwark.backup.pitr.base.leftover-grace",
            backupId, target.name(), left, stored.size());
      }
      throw e;
    }
  }

  private record ServerFacts(int versionNum, long walSegmentSize) {
    int major() {
      return versionNum / 10000;
    }
  }

  private record Streamed(
      Map<String, BaseBackupManifest.StoredPart> pieces, byte[] pgManifest, WalRange range) {}

  private static BaseBackupManifest.StoredPart part(StreamTotals totals) {
    return new BaseBackupManifest.StoredPart(
        totals.rawBytes(), totals.storedBytes(), totals.storedSha256());
  }

  private static ServerFacts serverFacts(BackupTarget target) {
    Properties properties = new Properties();
    target.username().ifPresent(u -> properties.setProperty("user", u));
    target.password().ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("ApplicationName", "bulwark-base-backup");
    try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), properties);
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT current_setting('server_version_num')::int,"
                    + " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')")) {
      row.next();
      return new ServerFacts(row.getInt(1), row.getLong(2));
    } catch (SQLException e) {
      throw new SnapshotUnavailable(target.name(), e.getMessage());
    }
  }

  private Streamed streamBaseBackup(
      BackupTarget target,
      ServerFacts server,
      AgeRecipient recipient,
      String backupId,
      List<ObjectKey> stored)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binaries.tool("pg_basebackup", server.major()).toString());
    command.addAll(
        List.of(
            "--pgdata=-",
            "--format=tar",
            "--wal-method=fetch",
            "--checkpoint=fast",
            "--verbose",
            "--no-password",
            "--host=" + target.host(),
            "--port=" + target.port()));
    target.username().ifPresent(u -> command.add("--username=" + u));
    Path stderr = Files.createTempFile("pg_basebackup-", ".err");
    PieceUploads uploads =
        new PieceUploads(
            storage,
            index ->
                BaseBackupObjects.keyOf(target.name(), backupId, BaseBackupObjects.piece(index)),
            recipient,
            keyring.zstd(),
            pieces.parallelism());
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectError(stderr.toFile());
      ChildProcesses.withPassword(builder, target.password());
      Process process = builder.start();
      TarMemberCatcher catcher = new TarMemberCatcher("backup_manifest", MANIFEST_LIMIT);
      TarPieceCutter cutter = new TarPieceCutter(uploads, pieces.pieceBytes());
      Map<String, BaseBackupManifest.StoredPart> parts;
      try {
        try (InputStream tar = process.getInputStream()) {
          byte[] buffer = new byte[READ];
          for (int n; (n = tar.read(buffer)) >= 0; ) {
            catcher.write(buffer, 0, n);
            cutter.write(buffer, 0, n);
          }
        }
        int exit = ChildProcesses.waitFor(process, "pg_basebackup");
        if (exit != 0) {
          throw new BaseBackupFailed(
              target.name(), exit, Files.readString(stderr, StandardCharsets.UTF_8));
        }
        cutter.close();
        parts = uploads.await();
      } catch (IOException | RuntimeException e) {
        // A piece that failed to store stopped the stream: its failure is the one to report.
        uploads.throwFirstFailure(e);
        // Pieces still being stored publish nothing; those stored are deleted by the caller.
        uploads.abort(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        throw e;
      } finally {
        stored.addAll(uploads.keys());
        process.destroy();
      }
      String output = Files.readString(stderr, StandardCharsets.UTF_8);
      WalRange range =
          WalRange.fromVerboseOutput(output)
              .orElseThrow(
                  () ->
                      new BaseBackupFailed(
                          target.name(), "pg_basebackup did not report its WAL range: " + output));
      byte[] pgManifest =
          catcher
              .caught()
              .orElseThrow(
                  () ->
                      new BaseBackupFailed(
                          target.name(), "the tar pg_basebackup wrote has no backup_manifest"));
      return new Streamed(parts, pgManifest, range);
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  private StreamTotals putEncrypted(ObjectKey key, InputStream content, AgeRecipient recipient)
      throws IOException {
    AtomicReference<StreamTotals> totals = new AtomicReference<>();
    storage.put(
        key,
        out -> {
          EncryptedBackupOutput encrypted =
              BackupStreams.encrypt(new KeepOpenOutputStream(out), recipient, keyring.zstd());
          try (encrypted) {
            content.transferTo(encrypted);
          }
          totals.set(encrypted.totals());
        });
    return totals.get();
  }
}
