package dev.bulwark.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupObjects;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.StoredBackups;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention against a real object store: 120 days of daily backups, verification records and the
 * leftovers of runs that died. Leftover ages come from storage's own write times, so the clock
 * starts at the real time and moves forward past the grace.
 */
abstract class RetentionOnStorageTests {

  static final String TARGET = "pipeline";
  static final Duration GRACE = Duration.ofDays(1);

  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private Backups backups;
  private StoredBackups stored;

  private ObjectStorage storage;

  /** Opens the storage under test (called before each test). */
  abstract ObjectStorage openStorage();

  ObjectStorage storage() {
    return storage;
  }

  @BeforeEach
  void openTheTarget() {
    storage = openStorage();
    try (Stream<StoredObject> old = storage().list(BackupObjects.prefixOf(TARGET))) {
      old.map(StoredObject::key).toList().forEach(storage()::delete);
    }
    BackupTarget target =
        new BackupTarget(TARGET, "127.0.0.1", 5432, "pipeline", Optional.empty(), Optional.empty());
    backups = new Backups(new BackupTargets(Map.of(TARGET, target)), storage());
    stored = new StoredBackups(storage(), backups);
  }

  @Test
  void deletesOldBackupsButKeepsTheNewestVerifiedOneEvenAt100Days() {
    List<BackupManifest> daily = dailyBackups(120);
    // Verification passed 100 and 110 days ago; every newer one failed or never ran.
    stored.verify(daily.get(100), true);
    stored.verify(daily.get(110), true);
    stored.verify(daily.get(50), false);

    RetentionOutcome outcome = retention(new RetentionPolicy(90, 0, 0, 0)).apply(TARGET);

    List<String> left = backups.of(TARGET).stream().map(BackupManifest::backupId).toList();
    List<String> expected = new ArrayList<>();
    // Index 89 started 89 days and 6 hours ago, 90 is past the limit.
    daily.subList(0, 90).forEach(b -> expected.add(b.backupId()));
    expected.add(daily.get(100).backupId());
    assertThat(left).containsExactlyElementsOf(expected);
    assertThat(outcome.deleted()).hasSize(120 - 91);
    assertThat(outcome.deleted().get(0).age()).isEqualTo(Duration.ofDays(90).plusHours(6));
    // Nothing of a deleted backup remains: no dump, no verification.
    for (BackupManifest gone : List.of(daily.get(90), daily.get(110), daily.get(119))) {
      assertThat(objectsOf(gone.backupId())).as(gone.backupId()).isEmpty();
    }
    assertThat(backups.verificationOf(daily.get(100)).orElseThrow().passed()).isTrue();
    assertThat(objectsOf(daily.get(100).backupId())).hasSize(3);
  }

  @Test
  void gfsCountsKeepTheNewestOfTheirPeriodsBeyondTheDays() {
    List<BackupManifest> daily = dailyBackups(120);

    retention(new RetentionPolicy(30, 0, 0, 4)).apply(TARGET);

    // Beyond 30 days, the backups of the last calendar day of each of the three months before
    // this one (there is one backup per UTC date) remain.
    YearMonth earliest = YearMonth.from(dateOf(clock.instant())).minusMonths(3);
    List<BackupManifest> expected =
        daily.stream()
            .filter(
                b ->
                    daysOld(b) < 30
                        || (dateOf(b.startedAt()).plusDays(1).getDayOfMonth() == 1
                            && !YearMonth.from(dateOf(b.startedAt())).isBefore(earliest)))
            .toList();
    assertThat(expected.stream().filter(b -> daysOld(b) >= 30)).isNotEmpty();
    assertThat(backups.of(TARGET)).containsExactlyElementsOf(expected);
  }

  @Test
  void leftoversOfDeadRunsGoOnceOlderThanTheGraceAndARunInProgressIsKept() {
    BackupManifest complete = stored.backup(TARGET, clock.instant().minus(Duration.ofHours(2)));
    String dead = stored.leftover(TARGET, clock.instant().minus(Duration.ofHours(1)));
    BackupRetention retention = retention(new RetentionPolicy(90, 0, 0, 0));

    // Within the grace its dump may be a run still writing its manifest: kept.
    RetentionOutcome first = retention.apply(TARGET);

    assertThat(first.leftovers()).isEmpty();
    assertThat(objectsOf(dead)).hasSize(1);

    // A day later nothing has been written under it: the run died.
    clock.advance(GRACE.plus(Duration.ofMinutes(1)));
    RetentionOutcome second = retention.apply(TARGET);

    assertThat(second.leftovers()).containsExactly(dead);
    assertThat(objectsOf(dead)).isEmpty();
    assertThat(backups.of(TARGET)).containsExactly(complete);
    assertThat(objectsOf(complete.backupId())).hasSize(2);
  }

  @Test
  void aDeletionCutShortAfterTheManifestIsFinishedByTheNextPass() {
    BackupManifest old = stored.backup(TARGET, clock.instant().minus(Duration.ofDays(95)));
    BackupManifest newest = stored.backup(TARGET, clock.instant().minus(Duration.ofDays(1)));
    stored.verify(newest, true);
    stored.verify(old, true);
    // The manifest went first and then the process died: the backup no longer exists.
    storage().delete(BackupObjects.deletionOrder(old).get(0));

    assertThat(backups.of(TARGET)).containsExactly(newest);
    clock.advance(GRACE.plus(Duration.ofMinutes(1)));
    RetentionOutcome outcome = retention(new RetentionPolicy(90, 0, 0, 0)).apply(TARGET);

    assertThat(outcome.leftovers()).containsExactly(old.backupId());
    assertThat(objectsOf(old.backupId())).isEmpty();
    assertThat(objectsOf(newest.backupId())).hasSize(3);
  }

  /** One backup a day for {@code days} days, index 0 six hours ago; newest first. */
  private List<BackupManifest> dailyBackups(int days) {
    List<BackupManifest> daily = new ArrayList<>();
    for (int day = 0; day < days; day++) {
      daily.add(
          stored.backup(
              TARGET, clock.instant().minus(Duration.ofDays(day)).minus(Duration.ofHours(6))));
    }
    return daily;
  }

  private static LocalDate dateOf(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  private long daysOld(BackupManifest backup) {
    return Duration.between(backup.startedAt(), clock.instant()).toDays();
  }

  private BackupRetention retention(RetentionPolicy policy) {
    return new BackupRetention(backups, storage(), policy, GRACE, clock);
  }

  private List<ObjectKey> objectsOf(String backupId) {
    try (Stream<StoredObject> objects = storage().list(BackupObjects.prefixOf(TARGET, backupId))) {
      return objects.map(StoredObject::key).toList();
    }
  }
}
