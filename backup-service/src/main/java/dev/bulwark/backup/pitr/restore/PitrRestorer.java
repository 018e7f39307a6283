package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.config.BaseBackupConfig;
import dev.bulwark.backup.config.PitrConfig;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.backup.pitr.base.BaseBackups;
import dev.bulwark.backup.pitr.base.PieceSettings;
import dev.bulwark.backup.pitr.base.PitrTargets;
import dev.bulwark.backup.storage.ObjectNotFound;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Restores a target to a point: picks the base backup and the WAL ({@link WalPlanner}), fetches and
 * decrypts that WAL into a staging directory, extracts the base backup into a new data directory,
 * checks it against its {@code backup_manifest} (checksums while extracting, then {@code
 * pg_verifybackup --skip-checksums}), writes the recovery settings and, when asked, recovers it in
 * a scratch instance of the real server binaries, reports the point reached and stops it (the
 * directory stays, promoted, for {@code pg_ctl start}). Blocking: run it on a worker.
 */
@ApplicationScoped
public class PitrRestorer {

  private static final DateTimeFormatter DIR_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final PitrTargets targets;
  private final BaseBackups bases;
  private final WalArchive archive;
  private final ObjectStorage storage;
  private final AgeKeyring keyring;
  private final PgDumpBinary binaries;
  private final Clock clock;
  private final Path scratchRoot;
  private final Duration recoveryTimeout;
  private final PieceSettings pieces;

  @Inject
  public PitrRestorer(
      PitrTargets targets,
      BaseBackups bases,
      WalArchive archive,
      ObjectStorage storage,
      AgeKeyring keyring,
      PgDumpBinary binaries,
      Clock clock,
      PitrConfig config,
      BaseBackupConfig baseConfig) {
    this(
        targets,
        bases,
        archive,
        storage,
        keyring,
        binaries,
        clock,
        config
            .recovery()
            .scratchDir()
            .map(Path::of)
            .orElse(Path.of(System.getProperty("java.io.tmpdir"), "bulwark-pitr-scratch")),
        config.recovery().recoveryTimeout(),
        PieceSettings.of(baseConfig));
  }

  /** A restorer with explicit directories (tests and tools). */
  public PitrRestorer(
      PitrTargets targets,
      BaseBackups bases,
      WalArchive archive,
      ObjectStorage storage,
      AgeKeyring keyring,
      PgDumpBinary binaries,
      Clock clock,
      Path scratchRoot,
      Duration recoveryTimeout,
      PieceSettings pieces) {
    this.targets = targets;
    this.bases = bases;
    this.archive = archive;
    this.storage = storage;
    this.keyring = keyring;
    this.binaries = binaries;
    this.clock = clock;
    this.scratchRoot = scratchRoot;
    this.recoveryTimeout = recoveryTimeout;
    this.pieces = pieces;
  }

  /**
   * The plan for a restore of {@code target} to {@code point}, checked before anything is fetched.
   *
   * @throws dev.bulwark.backup.pitr.base.PitrNotEnabled when the target has no PITR
   * @throws NoBaseBackup when the target has no base backup
   * @throws TargetOutsideWindow when the point lies outside what can be reached
   * @throws WalGapFound naming the first missing segment on the way
   * @throws DirectoryNotEmpty when {@code directory} holds something
   */
  public WalPlan plan(String target, RecoveryTarget point, Optional<Path> directory) {
    targets.enabled(target);
    directory.ifPresent(PitrRestorer::checkEmpty);
    Map<String, Instant> wal = new TreeMap<>();
    String prefix = WalArchive.prefixOf(target);
    try (Stream<StoredObject> objects = storage.list(prefix)) {
      objects.forEach(
          o -> {
            String name = o.key().value().substring(prefix.length());
            if (name.endsWith(".zst.age")) {
              wal.put(name.substring(0, name.length() - ".zst.age".length()), o.lastModified());
            }
          });
    }
    return WalPlanner.plan(target, bases.of(target), wal, t -> history(target, t), point);
  }

  /**
   * Restores as {@link #plan} says into {@code directory} (else a new directory under the scratch
   * root) and, when {@code start}, recovers it in a scratch instance.
   *
   * @throws RecoveryFailed when extraction, verification or recovery fails
   * @throws dev.bulwark.backup.storage.StorageUnavailable when storage fails on the way; on any
   *     failure the scratch directory and what was written into {@code directory} are removed
   */
  public PitrRestoreReport restore(
      String target,
      RecoveryTarget point,
      Optional<Path> directory,
      boolean start,
      Consumer<String> phase)
      throws IOException {
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    WalPlan plan = plan(target, point, directory);
    BaseBackupManifest base = plan.base();
    BackupTarget server = targets.enabled(target);
    int major = base.serverVersion() / 10000;
    Path root =
        scratchRoot.resolve(
            target + "-" + DIR_TIME.format(clock.instant()) + "-" + Long.toHexString(t0 & 0xffff));
    boolean directoryExisted = directory.map(Files::isDirectory).orElse(false);
    Files.createDirectories(root);
    try {
      ServerCommands.giveToServerUser(root);
      Path staging = Files.createDirectories(root.resolve("wal"));
      ServerCommands.giveToServerUser(staging);
      Path data = directory.orElse(root.resolve("data")).toAbsolutePath();
      PieceExtraction extraction =
          new PieceExtraction(storage, keyring.identities(), pieces.parallelism());
      // A missing piece fails the restore before any WAL is fetched.
      extraction.checkStored(base);
      seconds.put("plan", since(t0));

      phase.accept("fetching-wal");
      long t1 = System.nanoTime();
      long walBytes = 0;
      int fetched = 0;
      Path pgWaldump = binaries.tool("pg_waldump", major);
      for (String name : plan.walFiles()) {
        if (fetched >= plan.required()
            && point instanceof RecoveryTarget.AtTime time
            && lastSegmentHasCommitAfter(pgWaldump, staging, plan, fetched, time.time())) {
          break;
        }
        Path file = staging.resolve(WalPlanner.stripPartial(name));
        archive.fetch(target, name, file);
        // Fetched as a private temporary file: the server, which copies it, must own it.
        ServerCommands.giveToServerUser(file);
        walBytes += Files.size(file);
        fetched++;
      }
      seconds.put("fetch-wal", since(t1));

      phase.accept("extracting");
      long t2 = System.nanoTime();
      Files.createDirectories(data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      ServerCommands.giveToServerUser(data);
      Map<String, TarFileChecksums.FileSum> sums = extraction.extract(base, data);
      seconds.put("extract", since(t2));

      phase.accept("verifying");
      long t3 = System.nanoTime();
      // The files' checksums were taken during extraction: pg_verifybackup checks the rest
      // without reading them again (unless the manifest uses another algorithm than CRC-32C).
      boolean checksummed =
          ManifestChecksums.check(data.resolve("backup_manifest"), sums, base.backupId());
      List<String> verify = new ArrayList<>();
      verify.add(binaries.tool("pg_verifybackup", major).toString());
      if (checksummed) {
        verify.add("--skip-checksums");
      }
      verify.add(data.toString());
      ServerCommands.run("pg_verifybackup", ServerCommands.asServerUser(verify), recoveryTimeout);
      seconds.put("verify", since(t3));

      OptionalInt port = start ? OptionalInt.of(freePort()) : OptionalInt.empty();
      Files.writeString(
          data.resolve("postgresql.auto.conf"),
          RecoverySettings.of(point, staging, plan.timeline(), port),
          StandardOpenOption.APPEND);
      Path signal = Files.createFile(data.resolve("recovery.signal"));
      ServerCommands.giveToServerUser(signal);

      Optional<Instant> reachedTime = Optional.empty();
      Optional<String> reachedLsn = Optional.empty();
      Optional<Long> tables = Optional.empty();
      if (start) {
        phase.accept("recovering");
        long t4 = System.nanoTime();
        Path log = root.resolve("postgres.log");
        String pgCtl = binaries.tool("pg_ctl", major).toString();
        try {
          ServerCommands.run(
              "the scratch instance's start",
              ServerCommands.asServerUser(
                  List.of(
                      pgCtl,
                      "-D",
                      data.toString(),
                      "-l",
                      log.toString(),
                      "-w",
                      "-t",
                      Long.toString(recoveryTimeout.toSeconds()),
                      "start")),
              recoveryTimeout.plusSeconds(10));
          Reached reached = awaitRecoveryEnd(server, port.getAsInt(), log);
          reachedTime = reached.time();
          reachedLsn = reached.lsn();
          tables = Optional.of(reached.tables());
        } catch (RecoveryFailed e) {
          throw new RecoveryFailed(e.getMessage() + logTail(log));
        } finally {
          stop(pgCtl, data);
        }
        seconds.put("recover", since(t4));
      }
      return new PitrRestoreReport(
          target,
          base.backupId(),
          point.describe(),
          data.toString(),
          staging.toString(),
          fetched,
          walBytes,
          start,
          plan.timeline(),
          reachedTime,
          reachedLsn,
          tables,
          seconds);
    } catch (IOException | RuntimeException e) {
      // Half-extracted WAL and data must not pass for a restore (storage died, recovery failed).
      HalfRestored.discard(root, directory, directoryExisted, e);
      throw e;
    }
  }

  private static boolean lastSegmentHasCommitAfter(
      Path pgWaldump, Path staging, WalPlan plan, int fetched, Instant time) throws IOException {
    if (fetched == 0) {
      return false;
    }
    String last = WalPlanner.stripPartial(plan.walFiles().get(fetched - 1));
    return WalSegmentName.isSegmentName(last)
        && CommitScan.hasCommitAfter(pgWaldump, staging.resolve(last), time);
  }

  private record Reached(Optional<Instant> time, Optional<String> lsn, long tables) {}

  // Recovery ends when the server leaves it (promoted at the target, or at the end of the WAL);
  // a server that stops on the way (target never reached) fails the restore with its log.
  private Reached awaitRecoveryEnd(BackupTarget server, int port, Path log) {
    long deadline = System.nanoTime() + recoveryTimeout.toNanos();
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + server.database();
    java.util.Properties properties = new java.util.Properties();
    server.username().ifPresent(u -> properties.setProperty("user", u));
    server.password().ifPresent(p -> properties.setProperty("password", p));
    properties.setProperty("ApplicationName", "bulwark-pitr-restore");
    String lastError = "";
    while (System.nanoTime() < deadline) {
      try (Connection connection = DriverManager.getConnection(url, properties);
          Statement statement = connection.createStatement()) {
        try (ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
          row.next();
          if (!row.getBoolean(1)) {
            return reached(statement);
          }
        }
      } catch (SQLException e) {
        lastError = e.getMessage();
        if (logShowsFatal(log)) {
          throw new RecoveryFailed("the scratch instance stopped during recovery: " + lastError);
        }
      }
      pause();
    }
    throw new RecoveryFailed(
        "recovery did not end within bulwark.backup.pitr.recovery-timeout ("
            + recoveryTimeout
            + ")"
            + (lastError.isEmpty() ? "" : ": " + lastError));
  }

  private static Reached reached(Statement statement) throws SQLException {
    try (ResultSet row =
        statement.executeQuery(
            "SELECT pg_last_xact_replay_timestamp(), pg_last_wal_replay_lsn()::text,"
                + " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + "   WHERE c.relkind IN ('r', 'p')"
                + "     AND n.nspname NOT IN ('pg_catalog', 'information_schema'))")) {
      row.next();
      Timestamp time = row.getTimestamp(1);
      return new Reached(
          Optional.ofNullable(time).map(Timestamp::toInstant),
          Optional.ofNullable(row.getString(2)),
          row.getLong(3));
    }
  }

  private static boolean logShowsFatal(Path log) {
    try {
      return Files.exists(log)
          && Files.readString(log, StandardCharsets.UTF_8).contains("FATAL:")
          && Files.readString(log, StandardCharsets.UTF_8).contains("database system is shut down");
    } catch (IOException e) {
      return false;
    }
  }

  private static String logTail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "\nserver log:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private void stop(String pgCtl, Path data) {
    if (!Files.exists(data.resolve("postmaster.pid"))) {
      return;
    }
    ServerCommands.run(
        "the scratch instance's stop",
        ServerCommands.asServerUser(
            List.of(pgCtl, "-D", data.toString(), "-m", "fast", "-w", "stop")),
        Duration.ofSeconds(120));
  }

  // A polling loop of a background job, not a test: a short nap between looks at the server
  // (short: half of it is, on average, added to every restore's time).
  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RecoveryFailed("interrupted while waiting for recovery");
    }
  }

  private Optional<String> history(String target, long timeline) {
    if (timeline <= 1) {
      return Optional.empty();
    }
    Path file = null;
    try {
      Path dir = Files.createTempDirectory("pitr-history-");
      file = dir.resolve(WalSegmentName.historyFileName(timeline));
      try {
        archive.fetch(target, WalSegmentName.historyFileName(timeline), file);
        return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
      } catch (ObjectNotFound e) {
        return Optional.empty();
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void checkEmpty(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      if (entries.findAny().isPresent()) {
        throw new DirectoryNotEmpty(directory.toString());
      }
    } catch (IOException e) {
      throw new DirectoryNotEmpty(directory.toString());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static double since(long nanos) {
    return Math.round((System.nanoTime() - nanos) / 1e6) / 1000.0;
  }
}
