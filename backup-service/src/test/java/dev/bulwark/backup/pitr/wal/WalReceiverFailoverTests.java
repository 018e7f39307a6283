package dev.bulwark.backup.pitr.wal;

import static dev.bulwark.backup.pitr.wal.ArchivedWal.TARGET;
import static dev.bulwark.backup.pitr.wal.ArchivedWal.writeAndSwitch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalReceiverFailoverTests {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void afterAPromotionArchivingContinuesOnTheNewTimelineWithItsHistoryAndNoGap()
      throws IOException {
    try (PostgresCluster cluster = PostgresCluster.start("pitr-failover")) {
      PostgresNode primary = cluster.primary();
      PostgresNode standby = cluster.addStandby();
      ReceiverSettings settings =
          ArchivedWal.settings(dir, List.of(primary, standby), Long.MAX_VALUE, Long.MAX_VALUE);
      try (ArchivedWal wal = ArchivedWal.start(dir, settings)) {
        String onTimeline1 = writeAndSwitch(primary);
        await().atMost(PATIENCE).until(() -> wal.segments().contains(onTimeline1));

        // The old primary goes (cleanly: the standby has all its WAL), the standby takes over.
        primary.stop();
        standby.promote();
        String onTimeline2 = writeAndSwitch(standby);
        String later = writeAndSwitch(standby);

        assertThat(WalSegmentName.parse(onTimeline2).timeline()).isEqualTo(2);
        await()
            .atMost(PATIENCE)
            .until(() -> wal.segments().containsAll(List.of(onTimeline2, later)));
        assertThat(wal.archive.list(TARGET)).contains("00000002.history");
        wal.assertNoGap();
        assertThat(wal.counter("bulwark.backup.pitr.wal.gaps")).isZero();
        assertThat(wal.baseBackupRequests).isEmpty();
        // The new primary has the receiver's slot now.
        assertThat(
                standby.queryValue(
                    "SELECT active::text FROM pg_replication_slots"
                        + " WHERE slot_name = 'bulwark_pipeline'"))
            .isEqualTo("true");
        // The history file stored is the new primary's own.
        Path history = dir.resolve("fetched.history");
        wal.archive.fetch(TARGET, "00000002.history", history);
        assertThat(Files.readString(history))
            .isEqualTo(Files.readString(standby.dataDir().resolve("pg_wal/00000002.history")));
      }
    }
  }

  @Test
  void walLostAcrossAFailoverIsReportedAsAGapAndAsksForABaseBackup() throws IOException {
    try (PostgresCluster cluster = PostgresCluster.start("pitr-gap")) {
      PostgresNode primary = cluster.primary();
      PostgresNode standby = cluster.addStandby();
      ReceiverSettings settings =
          ArchivedWal.settings(dir, List.of(primary, standby), Long.MAX_VALUE, Long.MAX_VALUE);
      String archived;
      try (ArchivedWal wal = ArchivedWal.start(dir, settings)) {
        archived = writeAndSwitch(primary);
        await().atMost(PATIENCE).until(() -> wal.segments().contains(archived));
      }
      // While nothing archives, the standby is promoted and its WAL is recycled past the archive.
      primary.stop();
      standby.promote();
      for (int i = 0; i < 4; i++) {
        writeAndSwitch(standby);
      }
      standby.execute("CHECKPOINT");
      standby.execute("CHECKPOINT");
      Path spool = dir.resolve("spool");
      deleteTree(spool);

      // The same storage: the chain continues from the segment archived before the failover.
      try (ArchivedWal wal = ArchivedWal.start(dir, settings)) {
        String after = writeAndSwitch(standby);
        await().atMost(PATIENCE).until(() -> wal.segments().contains(after));

        assertThat(wal.counter("bulwark.backup.pitr.wal.gaps")).isEqualTo(1.0);
        assertThat(wal.baseBackupRequests)
            .singleElement()
            .asString()
            .startsWith("pipeline: WAL gap: after " + archived);
      }
    }
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
