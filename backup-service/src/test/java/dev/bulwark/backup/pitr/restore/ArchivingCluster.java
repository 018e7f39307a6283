package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.exported.PitrWalMetrics;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.backup.pitr.base.BaseBackups;
import dev.bulwark.backup.pitr.base.PgBaseBackup;
import dev.bulwark.backup.pitr.base.PieceSettings;
import dev.bulwark.backup.pitr.base.PitrTargets;
import dev.bulwark.backup.pitr.wal.HostPort;
import dev.bulwark.backup.pitr.wal.ReceiverSettings;
import dev.bulwark.backup.pitr.wal.WalReceiver;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Test fixture: a real cluster whose WAL a real {@link WalReceiver} archives into file storage
 * (encrypted, as in production), base backups of it, and a restorer over that archive; the rows
 * written are marks with the time each was written, so that a restore's content can be predicted.
 */
final class ArchivingCluster implements AutoCloseable {

  static final String TARGET = "pipeline";

  final PostgresCluster cluster;
  final Path root;
  final FileStorage storage;
  final AgeKeyring keyring;
  final WalArchive archive;
  final PgDumpBinary binaries = new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql"));
  private Optional<WalReceiver> receiver = Optional.empty();

  private ArchivingCluster(String name) throws IOException {
    root = Path.of("target", "pitr-tests", UUID.randomUUID().toString()).toAbsolutePath();
    storage = FileStorage.at(Files.createDirectories(root.resolve("storage")));
    AgeIdentity identity = AgeKeys.generate();
    keyring =
        new AgeKeyring(
            Optional.of(identity.recipient().keyId()),
            Optional.of(identity.secretString()),
            new ZstdSettings(1, 0));
    archive = new WalArchive(storage, keyring);
    cluster = PostgresCluster.start(name);
  }

  static ArchivingCluster start(String name) throws IOException {
    return new ArchivingCluster(name);
  }

  /** Starts the receiver on {@code hosts} (tried in order for the one that takes writes). */
  WalReceiver archiveFrom(List<PostgresNode> hosts, boolean synchronous) {
    ReceiverSettings settings =
        new ReceiverSettings(
            TARGET,
            hosts.stream().map(n -> new HostPort(n.host(), n.port())).toList(),
            "postgres",
            Optional.of("postgres"),
            Optional.empty(),
            root.resolve("spool").resolve(TARGET),
            synchronous,
            Duration.ofSeconds(1),
            Duration.ofMillis(300),
            Long.MAX_VALUE,
            Long.MAX_VALUE,
            Duration.ofMillis(100),
            Duration.ofMillis(300),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            Duration.ofSeconds(60),
            Optional.empty(),
            Map.of());
    WalReceiver started =
        new WalReceiver(
                settings,
                archive,
                binaries,
                PitrWalMetrics.register(new SimpleMeterRegistry(), TARGET, Long.MAX_VALUE),
                (target, reason) -> {},
                new OutageLog(),
                Clock.systemUTC())
            .start();
    receiver = Optional.of(started);
    return started;
  }

  /** Whether the receiver streams from {@code node} through its slot. */
  static boolean streamsFrom(PostgresNode node) {
    return "true"
        .equals(
            node.queryValue(
                "SELECT active::text FROM pg_replication_slots WHERE slot_name = 'bulwark_"
                    + TARGET
                    + "'"));
  }

  BaseBackupManifest baseBackup(PostgresNode from) throws IOException {
    return new PgBaseBackup(
            targets(from),
            storage,
            keyring,
            binaries,
            Clock.systemUTC(),
            PieceSettings.DEFAULTS,
            t -> Optional.empty())
        .run(TARGET);
  }

  /** A restorer whose recovered scratch instances connect as the source's superuser. */
  PitrRestorer restorer(PostgresNode source) {
    return new PitrRestorer(
        new PitrTargets(targets(source), Set.of(TARGET)),
        new BaseBackups(storage),
        archive,
        storage,
        keyring,
        binaries,
        Clock.systemUTC(),
        root.resolve("scratch"),
        Duration.ofMinutes(3),
        PieceSettings.DEFAULTS);
  }

  List<String> segments() {
    return archive.list(TARGET).stream().filter(WalSegmentName::isSegmentName).toList();
  }

  static void createMarks(PostgresNode primary) {
    primary.execute("CREATE TABLE marks (id int PRIMARY KEY, at timestamptz NOT NULL)");
  }

  /**
   * Inserts mark {@code id} in its own transaction and returns the time it wrote: after the
   * previous mark's commit, before its own.
   */
  static Instant mark(PostgresNode primary, int id) {
    return Instant.parse(
        primary.queryValue(
            "INSERT INTO marks VALUES ("
                + id
                + ", clock_timestamp())"
                + " RETURNING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
  }

  /** Closes the current segment; returns its name. */
  static String switchWal(PostgresNode primary) {
    return primary.queryValue("SELECT pg_walfile_name(pg_switch_wal())");
  }

  private static BackupTargets targets(PostgresNode node) {
    BackupTarget target =
        new BackupTarget(
            TARGET,
            "127.0.0.1",
            node.port(),
            "postgres",
            Optional.of("postgres"),
            Optional.empty());
    return new BackupTargets(Map.of(TARGET, target));
  }

  @Override
  public void close() throws IOException {
    receiver.ifPresent(WalReceiver::close);
    cluster.close();
    storage.close();
    if (Files.exists(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
