package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.TestKeyrings;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.dumps.TestTargets;
import dev.bulwark.backup.exported.PitrWalMetrics;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.backup.pitr.base.PgBaseBackupBuilder;
import dev.bulwark.backup.pitr.base.PieceSettings;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  final PgDumpBinary binaries = PgBaseBackupBuilder.SYSTEM_BINARIES;
  private Optional<WalReceiver> receiver = Optional.empty();

  private ArchivingCluster(String name) throws IOException {
    root = PitrTestDirectories.create();
    storage = FileStorage.at(Files.createDirectories(root.resolve("storage")));
    keyring = TestKeyrings.generated(1);
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
    return PgBaseBackupBuilder.of(TestTargets.only(TARGET, from.port()), storage, keyring)
        .build()
        .run(TARGET);
  }

  /** A restorer whose recovered scratch instances connect as the source's superuser. */
  PitrRestorer restorer(PostgresNode source) {
    return TestRestorers.of(
        TestTargets.only(TARGET, source.port()),
        Set.of(TARGET),
        storage,
        keyring,
        root.resolve("scratch"),
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

  @Override
  public void close() throws IOException {
    receiver.ifPresent(WalReceiver::close);
    cluster.close();
    storage.close();
    PitrTestDirectories.delete(root);
  }
}
