package dev.bulwark.backup.pitr.restore;

import static dev.bulwark.backup.pitr.restore.ArchivingCluster.TARGET;
import static dev.bulwark.backup.pitr.restore.ArchivingCluster.mark;
import static dev.bulwark.backup.pitr.restore.ArchivingCluster.switchWal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import dev.bulwark.testing.PostgresNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restores to points after a failover on real PostgreSQL: the receiver archives a primary, the
 * standby is promoted (timeline 2) and the receiver follows it through its list of hosts, rows are
 * written on both sides of the promotion, then restores to a time on timeline 2 and to latest.
 */
class RestoreAcrossFailoverTests {

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private static ArchivingCluster archived;
  private static PostgresNode promoted;
  private static BaseBackupManifest base;
  // Mark i (1-based) was written at writtenAt.get(i - 1); 1..3 on timeline 1, 4..6 on timeline 2.
  private static final List<Instant> writtenAt = new ArrayList<>();

  @BeforeAll
  static void archiveAcrossAPromotion() throws IOException {
    archived = ArchivingCluster.start("pitr-across");
    PostgresNode primary = archived.cluster.primary();
    promoted = archived.cluster.addStandby();
    archived.archiveFrom(List.of(primary, promoted), false);
    await().atMost(PATIENCE).until(() -> ArchivingCluster.streamsFrom(primary));
    base = archived.baseBackup(primary);
    assertThat(base.timeline()).isEqualTo(1);

    ArchivingCluster.createMarks(primary);
    for (int i = 1; i <= 3; i++) {
      writtenAt.add(mark(primary, i));
    }
    String onTimeline1 = switchWal(primary);
    await().atMost(PATIENCE).until(() -> archived.segments().contains(onTimeline1));

    // The old primary goes cleanly (its standby has all of its WAL); the standby takes over.
    primary.stop();
    promoted.promote();
    await().atMost(PATIENCE).until(() -> ArchivingCluster.streamsFrom(promoted));
    for (int i = 4; i <= 6; i++) {
      writtenAt.add(mark(promoted, i));
    }
    String onTimeline2 = switchWal(promoted);
    assertThat(WalSegmentName.parse(onTimeline2).timeline()).isEqualTo(2);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                archived.segments().contains(onTimeline2)
                    && archived.archive.list(TARGET).contains("00000002.history"));
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (archived != null) {
      archived.close();
    }
  }

  @Test
  void restoresToATimeAfterThePromotionExactlyTheRowsCommittedBeforeIt() throws Exception {
    Instant between4And5 = writtenAt.get(4);

    PitrRestoreReport report =
        archived
            .restorer(promoted)
            .restore(
                TARGET, new RecoveryTarget.AtTime(between4And5), Optional.empty(), true, p -> {});

    assertThat(report.baseBackupId()).isEqualTo(base.backupId());
    assertThat(report.timeline()).isEqualTo(2);
    // The last transaction replayed is mark 4's commit, on the new timeline.
    assertThat(report.reachedTime()).isPresent();
    assertThat(report.reachedTime().get()).isAfter(writtenAt.get(3)).isBefore(between4And5);
    Path data = Path.of(report.dataDirectory());
    assertThat(endedOnTimeline(data)).isEqualTo(2);
    assertThat(RestoredDirectory.query(data, "SELECT id FROM marks ORDER BY id"))
        .containsExactly("1", "2", "3", "4");
  }

  @Test
  void restoresToLatestEveryRowWrittenOnBothSidesOfThePromotion() throws Exception {
    PitrRestoreReport report =
        archived
            .restorer(promoted)
            .restore(TARGET, new RecoveryTarget.Latest(), Optional.empty(), true, p -> {});

    assertThat(report.timeline()).isEqualTo(2);
    assertThat(report.walFiles()).isGreaterThan(1);
    assertThat(report.reachedTime().get()).isAfter(writtenAt.get(5));
    Path data = Path.of(report.dataDirectory());
    assertThat(endedOnTimeline(data)).isEqualTo(2);
    assertThat(RestoredDirectory.query(data, "SELECT id FROM marks ORDER BY id"))
        .containsExactly("1", "2", "3", "4", "5", "6");
  }

  // On leaving recovery the server starts a new timeline whose .history file's last line names
  // the timeline recovery replayed up to its end: the server's own word, not the plan's.
  private static long endedOnTimeline(Path data) throws IOException {
    Path history = data.resolve("pg_wal").resolve(WalSegmentName.historyFileName(3));
    List<String> lines =
        Files.readAllLines(history).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    return Long.parseLong(lines.get(lines.size() - 1).split("\\s+")[0]);
  }
}
