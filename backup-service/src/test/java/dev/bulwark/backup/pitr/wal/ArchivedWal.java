package dev.bulwark.backup.pitr.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.crypto.AgeIdentity;
import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.crypto.AgeKeys;
import dev.bulwark.backup.crypto.ZstdSettings;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.exported.PitrWalMetrics;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.testing.PostgresNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WAL receiver of one test on a real server: its storage, archive, metrics and the base backups
 * it asked for; and helpers to make WAL and to read the chain it stored.
 */
final class ArchivedWal implements AutoCloseable {

  static final String TARGET = "pipeline";

  final Path storageRoot;
  final FileStorage storage;
  final WalArchive archive;
  final MeterRegistry registry = new SimpleMeterRegistry();
  final List<String> baseBackupRequests = new CopyOnWriteArrayList<>();
  final WalReceiver receiver;

  private ArchivedWal(Path dir, ReceiverSettings settings, FailoverLookup failover)
      throws IOException {
    storageRoot = dir.resolve("storage");
    storage = FileStorage.at(storageRoot);
    AgeIdentity identity = AgeKeys.generate();
    archive =
        new WalArchive(
            storage,
            new AgeKeyring(
                Optional.of(identity.recipient().keyId()),
                Optional.of(identity.secretString()),
                new ZstdSettings(1, 0)));
    receiver =
        new WalReceiver(
            settings,
            archive,
            new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql")),
            PitrWalMetrics.register(registry, TARGET, settings.slotLimit()),
            (target, reason) -> baseBackupRequests.add(target + ": " + reason),
            failover,
            new OutageLog(),
            Clock.systemUTC());
  }

  /** Settings for tests: quick polls, checks and back-off; limits as given. */
  static ReceiverSettings settings(
      Path dir, List<PostgresNode> hosts, long spoolLimit, long slotLimit) {
    return new ReceiverSettings(
        TARGET,
        hosts.stream().map(n -> new HostPort(n.host(), n.port())).toList(),
        "postgres",
        Optional.of("postgres"),
        Optional.empty(),
        dir.resolve("spool").resolve(TARGET),
        false,
        Duration.ofSeconds(1),
        Duration.ofMillis(500),
        spoolLimit,
        slotLimit,
        Duration.ofMillis(100),
        Duration.ofMillis(300),
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        Duration.ofSeconds(60),
        Optional.empty(),
        Map.of());
  }

  /** {@code settings} with another partial-every. */
  static ReceiverSettings withPartialEvery(ReceiverSettings s, Duration partialEvery) {
    return new ReceiverSettings(
        s.target(),
        s.hosts(),
        s.database(),
        s.username(),
        s.password(),
        s.spoolDir(),
        s.synchronous(),
        s.statusInterval(),
        partialEvery,
        s.spoolLimit(),
        s.slotLimit(),
        s.pollEvery(),
        s.checkEvery(),
        s.backoffMin(),
        s.backoffMax(),
        s.healthyAfter(),
        s.failoverGroup(),
        s.failoverMembers());
  }

  static ArchivedWal start(Path dir, ReceiverSettings settings) throws IOException {
    return start(dir, settings, FailoverLookup.NONE);
  }

  static ArchivedWal start(Path dir, ReceiverSettings settings, FailoverLookup failover)
      throws IOException {
    ArchivedWal wal = new ArchivedWal(dir, settings, failover);
    wal.receiver.start();
    return wal;
  }

  /** Writes some rows and closes the current segment; returns the segment closed. */
  static String writeAndSwitch(PostgresNode primary) {
    primary.execute(
        "CREATE TABLE IF NOT EXISTS wal_rows (id bigserial PRIMARY KEY, body text NOT NULL)");
    primary.execute(
        "INSERT INTO wal_rows (body) SELECT repeat('x', 200) FROM generate_series(1, 2000)");
    String segment = primary.queryValue("SELECT pg_walfile_name(pg_current_wal_lsn())");
    primary.queryValue("SELECT pg_switch_wal()::text");
    return segment;
  }

  double gauge(String name) {
    return registry.get(name).tag("target", TARGET).gauge().value();
  }

  double counter(String name) {
    return registry.get(name).tag("target", TARGET).counter().count();
  }

  List<String> segments() {
    return archive.list(TARGET).stream().filter(WalSegmentName::isSegmentName).toList();
  }

  /** Asserts that the stored segments follow each other with none missing, across timelines. */
  void assertNoGap() {
    List<String> segments = segments();
    assertThat(segments).isNotEmpty();
    List<String> missing = new ArrayList<>();
    long size = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    for (int i = 1; i < segments.size(); i++) {
      WalSegmentName previous = WalSegmentName.parse(segments.get(i - 1));
      WalSegmentName current = WalSegmentName.parse(segments.get(i));
      if (current.segmentNumber(size) != previous.segmentNumber(size) + 1) {
        missing.add(previous + " -> " + current);
      }
    }
    assertThat(missing).as("jumps in the stored segments " + segments).isEmpty();
  }

  @Override
  public void close() throws IOException {
    receiver.close();
    storage.close();
    deleteTree(storageRoot.getParent().resolve("spool"));
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
