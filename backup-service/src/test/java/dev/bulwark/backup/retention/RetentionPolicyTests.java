package dev.bulwark.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The policy alone, at a pinned time: Wednesday 2026-07-15 12:00 UTC. */
class RetentionPolicyTests {

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-07-15T12:00:00Z"));
  private final RetentionPolicy ninetyDays = new RetentionPolicy(90, 0, 0, 0);

  @Test
  void deletesWhatStartedMoreThanTheDaysAgoAndKeepsTheRest() {
    List<RetentionCandidate> daily = dailyBackups(120, Set.of(0));

    RetentionSelection selection = ninetyDays.select(daily, clock.instant());

    // d90 started exactly 90 days ago: still within the limit.
    assertThat(ids(selection.deleted())).hasSize(29).allMatch(id -> daysAgo(id) > 90);
    assertThat(keptIds(selection)).hasSize(91).allMatch(id -> daysAgo(id) <= 90);
    assertThat(reasons(selection).get("d0"))
        .containsExactlyInAnyOrder(KeepReason.RECENT, KeepReason.NEWEST_VERIFIED);
  }

  @Test
  void aBackupExactlyAtTheLimitIsKeptAndOneSecondOlderIsNot() {
    Instant limit = clock.instant().minus(Duration.ofDays(90));
    RetentionCandidate atLimit = candidate("at", limit, true);
    RetentionCandidate older = candidate("older", limit.minusSeconds(1), false);

    RetentionSelection selection = ninetyDays.select(List.of(older, atLimit), clock.instant());

    assertThat(keptIds(selection)).containsExactly("at");
    assertThat(ids(selection.deleted())).containsExactly("older");
  }

  @Test
  void theNewestVerifiedBackupIsKeptHoweverOld() {
    // Verified 100 and 110 days ago; everything newer failed or was never verified.
    List<RetentionCandidate> daily = dailyBackups(120, Set.of(100, 110));

    RetentionSelection selection = ninetyDays.select(daily, clock.instant());

    assertThat(reasons(selection).get("d100")).containsExactly(KeepReason.NEWEST_VERIFIED);
    assertThat(ids(selection.deleted())).contains("d110").doesNotContain("d100").hasSize(28);
  }

  @Test
  void withoutAnyVerifiedBackupTheNewestIsKept() {
    List<RetentionCandidate> old =
        List.of(
            candidate("d95", daysAgo(95), false),
            candidate("d100", daysAgo(100), false),
            candidate("d120", daysAgo(120), false));

    RetentionSelection selection = ninetyDays.select(old, clock.instant());

    assertThat(reasons(selection)).containsOnlyKeys("d95");
    assertThat(reasons(selection).get("d95")).containsExactly(KeepReason.NEWEST_UNVERIFIED);
    assertThat(ids(selection.deleted())).containsExactly("d100", "d120");
  }

  @Test
  void anEmptyHistoryKeepsAndDeletesNothing() {
    RetentionSelection selection = ninetyDays.select(List.of(), clock.instant());

    assertThat(selection.kept()).isEmpty();
    assertThat(selection.deleted()).isEmpty();
  }

  @Test
  void keepDailyKeepsTheNewestOfEachOfTheLastDaysCountingToday() {
    RetentionPolicy oneDayAndThreeDaily = new RetentionPolicy(1, 3, 0, 0);
    Instant today = Instant.parse("2026-07-15T00:00:00Z");
    List<RetentionCandidate> backups = new ArrayList<>();
    // Two a day at 01:00 and 13:00 over five days, the one of today's 13:00 not yet taken.
    for (int day = 0; day < 5; day++) {
      for (int hour : new int[] {1, 13}) {
        Instant at = today.minus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
        if (at.isBefore(clock.instant())) {
          backups.add(candidate("day" + day + "h" + hour, at, true));
        }
      }
    }

    RetentionSelection selection = oneDayAndThreeDaily.select(backups, clock.instant());

    Map<String, Set<KeepReason>> kept = reasons(selection);
    assertThat(kept.keySet()).containsExactlyInAnyOrder("day0h1", "day1h13", "day2h13");
    assertThat(kept.get("day2h13")).containsExactly(KeepReason.DAILY);
    // 2026-07-14 13:00 is within one day of noon on the 15th: recent as well.
    assertThat(kept.get("day1h13")).containsExactlyInAnyOrder(KeepReason.DAILY, KeepReason.RECENT);
  }

  @Test
  void keepWeeklyAndMonthlyKeepTheNewestOfEachIsoWeekAndMonth() {
    RetentionPolicy gfs = new RetentionPolicy(7, 0, 4, 6);
    List<RetentionCandidate> daily = dailyBackups(400, Set.of(0));

    RetentionSelection selection = gfs.select(daily, clock.instant());

    Map<String, Set<KeepReason>> kept = reasons(selection);
    // Weeks start on Monday: this week (Mon 13th..), 6th, June 29th and 22nd; each week's newest
    // is its Sunday, except this week's, whose newest is today.
    assertThat(withReason(kept, KeepReason.WEEKLY))
        .containsExactlyInAnyOrder("d0", "d3", "d10", "d17");
    // Months July back to February: each month's newest is its last day, July's is today.
    assertThat(withReason(kept, KeepReason.MONTHLY))
        .containsExactlyInAnyOrder("d0", "d15", "d45", "d76", "d106", "d137");
    assertThat(kept.keySet())
        .containsExactlyInAnyOrder(
            "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d10", "d17", "d15", "d45", "d76",
            "d106", "d137");
    assertThat(selection.deleted()).hasSize(400 - 15);
  }

  @Test
  void rejectsSettingsOutsideTheirRangeNamingTheSetting() {
    assertThatThrownBy(() -> new RetentionPolicy(0, 0, 0, 0))
        .hasMessageContaining("bulwark.backup.retention.days");
    assertThatThrownBy(() -> new RetentionPolicy(90, -1, 0, 0))
        .hasMessageContaining("bulwark.backup.retention.keep-daily");
    assertThatThrownBy(() -> new RetentionPolicy(90, 0, -1, 0))
        .hasMessageContaining("bulwark.backup.retention.keep-weekly");
    assertThatThrownBy(() -> new RetentionPolicy(90, 0, 0, -1))
        .hasMessageContaining("bulwark.backup.retention.keep-monthly");
  }

  /** One backup a day at noon for {@code days} days, "d0" today; verified on the given days. */
  private List<RetentionCandidate> dailyBackups(int days, Set<Integer> verifiedDays) {
    List<RetentionCandidate> backups = new ArrayList<>();
    for (int day = 0; day < days; day++) {
      backups.add(candidate("d" + day, daysAgo(day), verifiedDays.contains(day)));
    }
    return backups;
  }

  private Instant daysAgo(int days) {
    return clock.instant().minus(Duration.ofDays(days));
  }

  private static int daysAgo(String id) {
    return Integer.parseInt(id.substring(1));
  }

  private static RetentionCandidate candidate(String id, Instant startedAt, boolean verified) {
    return new RetentionCandidate(
        new BackupManifest(
            "pipeline",
            id,
            startedAt,
            startedAt.plusSeconds(60),
            170000,
            "backups/pipeline/" + id + "/dump.age",
            10,
            10,
            "0".repeat(64),
            "age1test",
            new TreeMap<>()),
        verified);
  }

  private static List<String> ids(List<RetentionCandidate> candidates) {
    return candidates.stream().map(RetentionCandidate::backupId).toList();
  }

  private static List<String> keptIds(RetentionSelection selection) {
    return selection.kept().stream().map(k -> k.candidate().backupId()).toList();
  }

  private static Map<String, Set<KeepReason>> reasons(RetentionSelection selection) {
    return selection.kept().stream()
        .collect(Collectors.toMap(k -> k.candidate().backupId(), RetentionSelection.Kept::reasons));
  }

  private static Set<String> withReason(Map<String, Set<KeepReason>> kept, KeepReason reason) {
    return kept.entrySet().stream()
        .filter(e -> e.getValue().contains(reason))
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }
}
