package dev.bulwark.backup.pitr.wal;

import static dev.bulwark.backup.pitr.wal.ArchivedWal.TARGET;
import static dev.bulwark.backup.pitr.wal.ArchivedWal.writeAndSwitch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalReceiverTests {

  private static final long NO_LIMIT = Long.MAX_VALUE;
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static PostgresCluster cluster;
  private static PostgresNode primary;

  @TempDir Path dir;

  @BeforeAll
  static void startTheServer() {
    cluster = PostgresCluster.start("pitr-wal");
    primary = cluster.primary();
  }

  @AfterAll
  static void stopTheServer() {
    cluster.close();
  }

  @Test
  void aClosedSegmentIsStoredAndDecryptsToTheServersExactBytes() throws IOException {
    try (ArchivedWal wal = ArchivedWal.start(dir, settings())) {
      awaitReceiving(wal);

      String segment = writeAndSwitch(primary);

      await().atMost(PATIENCE).until(() -> wal.segments().contains(segment));
      Path fetched = dir.resolve(segment);
      wal.archive.fetch(TARGET, segment, fetched);
      Path onServer = primary.dataDir().resolve("pg_wal").resolve(segment);
      // The slot keeps the server's copy until the receiver confirmed it; still there now.
      assertThat(onServer).exists();
      assertThat(Files.mismatch(onServer, fetched)).isEqualTo(-1L);
      assertThat(Files.size(fetched)).isEqualTo(16L * 1024 * 1024);
      // Stored, then deleted from the spool; the gauge says when.
      assertThat(dir.resolve("spool").resolve(TARGET).resolve(segment)).doesNotExist();
      assertThat(wal.gauge("bulwark.backup.pitr.last.archived.segment.timestamp.seconds"))
          .isBetween(Instant.now().getEpochSecond() - 60.0, Instant.now().getEpochSecond() + 1.0);
    }
  }

  @Test
  void thePartialSegmentIsStoredSoTheArchiveReachesTheLastRecordReceived() throws IOException {
    try (ArchivedWal wal = ArchivedWal.start(dir, settings())) {
      awaitReceiving(wal);
      primary.execute("CREATE TABLE IF NOT EXISTS partial_rows (id int)");
      primary.execute("INSERT INTO partial_rows SELECT generate_series(1, 100)");
      String current = primary.queryValue("SELECT pg_walfile_name(pg_current_wal_lsn())");

      await().atMost(PATIENCE).until(() -> wal.archive.list(TARGET).contains(current + ".partial"));
      // Once the partial holding the server's last record is stored, nothing is waiting.
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                assertThat(wal.gauge("bulwark.backup.pitr.archive.lag.bytes")).isZero();
                assertThat(wal.gauge("bulwark.backup.pitr.archive.lag.seconds")).isZero();
              });
    }
  }

  @Test
  void aKilledReceiverIsStartedAgainAndLeavesNoGap() throws IOException {
    try (ArchivedWal wal = ArchivedWal.start(dir, settings())) {
      awaitReceiving(wal);
      String first = writeAndSwitch(primary);
      long pid = wal.receiver.receiverPid().orElseThrow();

      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      // Written while no receiver runs: the slot keeps it on the server.
      writeAndSwitch(primary);
      await()
          .atMost(PATIENCE)
          .until(() -> wal.receiver.receiverPid().filter(p -> p != pid).isPresent());
      String last = writeAndSwitch(primary);

      await().atMost(PATIENCE).until(() -> wal.segments().contains(last));
      assertThat(wal.segments()).contains(first);
      wal.assertNoGap();
      assertThat(wal.counter("bulwark.backup.pitr.receiver.restarts")).isEqualTo(1.0);
      assertThat(wal.counter("bulwark.backup.pitr.wal.gaps")).isZero();
      assertThat(wal.gauge("bulwark.backup.pitr.receiver.up")).isEqualTo(1.0);
    }
  }

  @Test
  void aServerRestartLeavesNoGap() throws IOException {
    try (ArchivedWal wal = ArchivedWal.start(dir, settings())) {
      awaitReceiving(wal);
      String first = writeAndSwitch(primary);
      await().atMost(PATIENCE).until(() -> wal.segments().contains(first));

      primary.stop();
      primary.start();
      String last = writeAndSwitch(primary);

      await().atMost(PATIENCE).until(() -> wal.segments().contains(last));
      wal.assertNoGap();
      assertThat(wal.counter("bulwark.backup.pitr.receiver.restarts")).isGreaterThanOrEqualTo(1.0);
      assertThat(wal.baseBackupRequests).isEmpty();
    }
  }

  @Test
  void whenThePrimaryCrashesThePartialSegmentIsStoredAtOnceNotAtTheNextPartialEvery()
      throws IOException {
    // A partial-every of an hour: only the receiver's exit can store the partial again in time.
    ReceiverSettings settings = ArchivedWal.withPartialEvery(settings(), Duration.ofHours(1));
    try (ArchivedWal wal = ArchivedWal.start(dir, settings)) {
      awaitReceiving(wal);
      primary.execute("CREATE TABLE IF NOT EXISTS crash_rows (id int)");
      primary.execute("INSERT INTO crash_rows SELECT generate_series(1, 1000)");
      long lsn = Long.parseLong(primary.queryValue("SELECT pg_current_wal_lsn() - '0/0'"));
      String segment = primary.queryValue("SELECT pg_walfile_name(pg_current_wal_lsn())");
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  "t"
                      .equals(
                          primary.queryValue(
                              "SELECT write_lsn - '0/0' >= "
                                  + lsn
                                  + " FROM pg_stat_replication"
                                  + " WHERE application_name = 'bulwark_pipeline'")));
      Path onServer = primary.dataDir().resolve("pg_wal").resolve(segment);
      int received = (int) (lsn % WalSegmentName.DEFAULT_SEGMENT_SIZE);
      try {
        primary.crash();
        byte[] expected = Arrays.copyOf(Files.readAllBytes(onServer), received);

        // The stored partial holds every byte the receiver had when the server died.
        Path fetched = dir.resolve(segment);
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  Files.deleteIfExists(fetched);
                  wal.archive.fetch(TARGET, segment + ".partial", fetched);
                  byte[] stored = Arrays.copyOf(Files.readAllBytes(fetched), received);
                  assertThat(Arrays.mismatch(stored, expected))
                      .as("first byte of the %d received that the stored partial lacks", received)
                      .isEqualTo(-1);
                });
      } finally {
        primary.start();
      }
    }
  }

  @Test
  void whileStorageIsUnreachableSegmentsQueueAndAreStoredInOrderWhenItReturns() throws IOException {
    try (ArchivedWal wal = ArchivedWal.start(dir, settings())) {
      awaitReceiving(wal);
      String before = writeAndSwitch(primary);
      await().atMost(PATIENCE).until(() -> wal.segments().contains(before));

      // Storage goes away: its root is a plain file now, every write fails.
      Path away = dir.resolve("storage-away");
      Files.move(wal.storageRoot, away);
      Files.writeString(wal.storageRoot, "not a directory");
      List<String> queued = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        queued.add(writeAndSwitch(primary));
      }
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(wal.gauge("bulwark.backup.pitr.spool.bytes"))
                      .isGreaterThanOrEqualTo(3 * 16.0 * 1024 * 1024));
      assertThat(dir.resolve("spool").resolve(TARGET).resolve(queued.get(0))).exists();

      Files.delete(wal.storageRoot);
      Files.move(away, wal.storageRoot);

      await().atMost(PATIENCE).until(() -> wal.segments().containsAll(queued));
      await()
          .atMost(PATIENCE)
          .untilAsserted(() -> assertThat(wal.gauge("bulwark.backup.pitr.spool.bytes")).isZero());
      wal.assertNoGap();
      List<Instant> storedAt = new ArrayList<>();
      for (String segment : queued) {
        storedAt.add(
            wal.storage.head(WalArchive.keyOf(TARGET, segment)).orElseThrow().lastModified());
      }
      assertThat(storedAt).isSorted();
    }
  }

  @Test
  void aFullSpoolStopsTheReceiverAndTheSlotKeepsTheWalUntilStorageReturns() throws IOException {
    // Room for one queued segment: the second fills the spool.
    try (ArchivedWal wal = ArchivedWal.start(dir, settings(20L * 1024 * 1024, NO_LIMIT))) {
      awaitReceiving(wal);
      Path away = dir.resolve("storage-away");
      Files.move(wal.storageRoot, away);
      Files.writeString(wal.storageRoot, "not a directory");

      List<String> written = new ArrayList<>();
      written.add(writeAndSwitch(primary));
      written.add(writeAndSwitch(primary));
      await()
          .atMost(PATIENCE)
          .untilAsserted(() -> assertThat(wal.gauge("bulwark.backup.pitr.receiver.up")).isZero());
      assertThat(wal.receiver.receiverPid()).isEmpty();
      written.add(writeAndSwitch(primary));

      Files.delete(wal.storageRoot);
      Files.move(away, wal.storageRoot);

      await().atMost(PATIENCE).until(() -> wal.segments().containsAll(written));
      wal.assertNoGap();
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> assertThat(wal.gauge("bulwark.backup.pitr.receiver.up")).isEqualTo(1.0));
    }
  }

  @Test
  void theSlotRetainedGaugeIsWhatTheServerHoldsBackAndTheLimitDropsTheSlot() throws IOException {
    // A receiver that never starts (its spool is "full" at 0 bytes) leaves the slot behind.
    try (ArchivedWal idle = ArchivedWal.start(dir.resolve("idle"), settings(0, NO_LIMIT))) {
      primary.queryValue(
          "SELECT pg_create_physical_replication_slot('bulwark_pipeline', true)"
              + " WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots"
              + " WHERE slot_name = 'bulwark_pipeline')");
      writeAndSwitch(primary);
      writeAndSwitch(primary);

      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(idle.gauge("bulwark.backup.pitr.slot.retained.bytes"))
                      .isEqualTo(Double.parseDouble(retainedOnServer()))
                      .isGreaterThan(16.0 * 1024 * 1024));
    }
    // A new slot reserves from the last checkpoint's redo point: make that recent.
    primary.execute("CHECKPOINT");

    // 1 MiB limit: the slot is dropped, a gap reported, a base backup requested; then a new slot.
    try (ArchivedWal wal = ArchivedWal.start(dir, settings(NO_LIMIT, 1024 * 1024))) {
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                assertThat(wal.counter("bulwark.backup.pitr.slot.drops")).isEqualTo(1.0);
                assertThat(wal.counter("bulwark.backup.pitr.wal.gaps")).isEqualTo(1.0);
                assertThat(wal.baseBackupRequests)
                    .singleElement()
                    .asString()
                    .startsWith("pipeline: slot bulwark_pipeline dropped");
              });
      awaitReceiving(wal);
      // The new slot holds back only what the receiver has not confirmed yet.
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(wal.gauge("bulwark.backup.pitr.slot.retained.bytes"))
                      .isLessThan(1024 * 1024.0));
      assertThat(wal.counter("bulwark.backup.pitr.slot.drops")).isEqualTo(1.0);
    }
  }

  private static String retainedOnServer() {
    return primary.queryValue(
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint"
            + " FROM pg_replication_slots WHERE slot_name = 'bulwark_pipeline'");
  }

  private static void awaitReceiving(ArchivedWal wal) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                "1"
                    .equals(
                        primary.queryValue(
                            "SELECT count(*) FROM pg_stat_replication"
                                + " WHERE application_name = 'bulwark_pipeline'")));
  }

  private ReceiverSettings settings() {
    return settings(NO_LIMIT, NO_LIMIT);
  }

  private ReceiverSettings settings(long spoolLimit, long slotLimit) {
    return ArchivedWal.settings(dir, List.of(primary), spoolLimit, slotLimit);
  }
}
