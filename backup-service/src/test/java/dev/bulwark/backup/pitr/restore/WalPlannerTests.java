package dev.bulwark.backup.pitr.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WalPlannerTests {

  private static final long SEGMENT = 16L * 1024 * 1024;
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static BaseBackupManifest base(
      String id, long timeline, int startSeg, int endSeg, int at) {
    return new BaseBackupManifest(
        "pipeline",
        id,
        T0.plusSeconds(at - 5),
        T0.plusSeconds(at),
        150000,
        timeline,
        "0/" + Long.toHexString(startSeg * SEGMENT + 0x28).toUpperCase(),
        "0/" + Long.toHexString(endSeg * SEGMENT + 0x100).toUpperCase(),
        String.format("%08X%08X%08X", timeline, 0, startSeg),
        String.format("%08X%08X%08X", timeline, 0, endSeg),
        SEGMENT,
        true,
        Map.of(),
        "age1key");
  }

  private static String seg(long timeline, int n) {
    return String.format("%08X%08X%08X", timeline, 0, n);
  }

  @Test
  void followsTheTimelineHistoryAcrossAPromotionReadingTheSwitchSegmentFromTheNewTimeline() {
    Map<String, Instant> wal = new TreeMap<>();
    for (int n = 2; n <= 5; n++) {
      wal.put(seg(1, n), T0.plusSeconds(10 * n));
    }
    // Promoted inside segment 5: timeline 2 begins there and goes on.
    wal.put("00000002.history", T0.plusSeconds(55));
    wal.put(seg(2, 5), T0.plusSeconds(60));
    wal.put(seg(2, 6), T0.plusSeconds(70));
    wal.put(seg(2, 7) + ".partial", T0.plusSeconds(80));

    WalPlan plan =
        WalPlanner.plan(
            "pipeline",
            List.of(base("b1", 1, 2, 2, 5)),
            wal,
            tli ->
                tli == 2
                    ? Optional.of("1\t0/5000100\tno recovery target specified\n")
                    : Optional.empty(),
            new RecoveryTarget.Latest());

    assertThat(plan.timeline()).isEqualTo(2);
    assertThat(plan.walFiles())
        .containsExactly(
            "00000002.history",
            seg(1, 2),
            seg(1, 3),
            seg(1, 4),
            seg(2, 5),
            seg(2, 6),
            seg(2, 7) + ".partial");
    assertThat(plan.required()).isEqualTo(plan.walFiles().size());
  }

  @Test
  void aTimeNeedsTheSegmentsUpToTheFirstStoredAfterItAndMayFetchTheRestAsNeeded() {
    Map<String, Instant> wal = new TreeMap<>();
    for (int n = 2; n <= 6; n++) {
      wal.put(seg(1, n), T0.plusSeconds(10 * n));
    }

    WalPlan plan =
        WalPlanner.plan(
            "pipeline",
            List.of(base("old", 1, 1, 1, 1), base("b1", 1, 2, 2, 15)),
            wal,
            tli -> Optional.empty(),
            new RecoveryTarget.AtTime(T0.plusSeconds(35)));

    assertThat(plan.base().backupId()).isEqualTo("b1");
    assertThat(plan.walFiles()).hasSize(5);
    // Segment 4 was stored at +40 s, the first at or after +35 s.
    assertThat(plan.required()).isEqualTo(3);
  }

  @Test
  void aMissingSegmentAfterTheBaseBackupIsNamed() {
    Map<String, Instant> wal = new TreeMap<>();
    wal.put(seg(1, 2), T0.plusSeconds(20));
    wal.put(seg(1, 4), T0.plusSeconds(40));

    assertThatThrownBy(
            () ->
                WalPlanner.plan(
                    "pipeline",
                    List.of(base("b1", 1, 2, 2, 15)),
                    wal,
                    tli -> Optional.empty(),
                    new RecoveryTarget.Latest()))
        .isInstanceOf(WalGapFound.class)
        .hasMessageContaining("misses segment " + seg(1, 3));
  }

  @Test
  void segmentsInsideTheBaseBackupNeedNotBeArchived() {
    Map<String, Instant> wal = new TreeMap<>();
    wal.put(seg(1, 4), T0.plusSeconds(40));

    WalPlan plan =
        WalPlanner.plan(
            "pipeline",
            List.of(base("b1", 1, 2, 3, 15)),
            wal,
            tli -> Optional.empty(),
            new RecoveryTarget.Latest());

    assertThat(plan.walFiles()).containsExactly(seg(1, 4));
  }

  @Test
  void theWindowRunsFromTheOldestBaseBackupsEndToTheNewestWal() {
    Map<String, Instant> wal = Map.of(seg(1, 2), T0.plusSeconds(20));

    assertThatThrownBy(
            () ->
                WalPlanner.plan(
                    "pipeline",
                    List.of(base("b1", 1, 2, 2, 15)),
                    wal,
                    tli -> Optional.empty(),
                    new RecoveryTarget.AtTime(T0.plusSeconds(21))))
        .isInstanceOfSatisfying(
            TargetOutsideWindow.class,
            e ->
                assertThat(e.window())
                    .isEqualTo(new RestoreWindow(T0.plusSeconds(15), T0.plusSeconds(20))));
  }

  @Test
  void noBaseBackupIsAConflict() {
    assertThatThrownBy(
            () ->
                WalPlanner.plan(
                    "pipeline",
                    List.of(),
                    Map.of(),
                    tli -> Optional.empty(),
                    new RecoveryTarget.Latest()))
        .isInstanceOf(NoBaseBackup.class);
  }

  @Test
  void readsCommitTimesFromPgWaldumpOutput() {
    String output =
        "rmgr: Transaction len (rec/tot):     34/    34, tx:        735, lsn: 0/03000060, prev"
            + " 0/03000028, desc: COMMIT 2026-12-01 13:52:19.258811 UTC\n";

    assertThat(CommitScan.after(output, Instant.parse("2026-12-01T13:52:19.258810Z"))).isTrue();
    assertThat(CommitScan.after(output, Instant.parse("2026-12-01T13:52:19.258811Z"))).isFalse();
  }
}
