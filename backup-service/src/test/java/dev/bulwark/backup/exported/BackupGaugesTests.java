package dev.bulwark.backup.exported;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupObjects;
import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.StoredBackups;
import dev.bulwark.backup.retention.RetentionJob;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backup gauges of the test profile's target "store", read from storage every second. */
@QuarkusTest
class BackupGaugesTests {

  private static final String TARGET = "store";
  private static final String[] LOGICAL = {"target", TARGET, "kind", "logical"};

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Inject ObjectStorage storage;
  @Inject Backups backups;
  @Inject Scheduler scheduler;

  private final MutableClock clock = MutableClock.todayAtNoon();
  private StoredBackups stored;

  @BeforeEach
  void pinTheClockAndEmptyTheTarget() {
    // Retention would delete what these tests write 120 days in the past.
    scheduler.pause(RetentionJob.JOB);
    QuarkusMock.installMockForType(clock, Clock.class);
    try (Stream<StoredObject> old = storage.list(BackupObjects.prefixOf(TARGET))) {
      old.map(StoredObject::key).toList().forEach(storage::delete);
    }
    stored = new StoredBackups(storage, backups);
  }

  @AfterEach
  void resumeRetention() {
    scheduler.resume(RetentionJob.JOB);
  }

  @Test
  void aTargetNeverBackedUpShowsZeroRetainedAndNoLastSuccess() {
    PrometheusText scrape =
        Scrapes.awaitAsserted(
            metrics,
            "an empty target",
            s -> {
              assertThat(s.value("bulwark_backup_retained", LOGICAL)).hasValue(0);
              assertThat(s.value("bulwark_backup_gauges_up")).hasValue(1);
              // A refresh under the pinned clock, so one that read the emptied target.
              assertThat(s.value("bulwark_backup_gauges_last_success_timestamp_seconds"))
                  .hasValue(clock.instant().getEpochSecond());
            });

    assertThat(scrape.value("bulwark_backup_last_success_timestamp_seconds", LOGICAL)).isEmpty();
    assertThat(scrape.value("bulwark_backup_last_size_bytes", LOGICAL)).isEmpty();
    assertThat(scrape.value("bulwark_backup_verification_passed", "target", TARGET)).isEmpty();
    assertThat(
            scrape.value(
                "bulwark_backup_last_verified_success_timestamp_seconds", "target", TARGET))
        .isEmpty();
  }

  @Test
  void gaugesDescribeTheNewestBackupAndTheLatestVerification() {
    Instant now = clock.instant();
    BackupManifest old = stored.backup(TARGET, now.minus(Duration.ofDays(120)));
    BackupManifest month = stored.backup(TARGET, now.minus(Duration.ofDays(30)));
    BackupManifest newest = stored.backup(TARGET, now.minus(Duration.ofHours(3)));
    stored.verify(old, true);
    // Verified after the old one: the latest verification, and it failed.
    BackupVerification failed = stored.verify(month, false);

    Scrapes.awaitAsserted(
        metrics,
        "the three backups and the failed verification",
        s -> {
          assertThat(s.value("bulwark_backup_retained", LOGICAL)).hasValue(3);
          assertThat(s.value("bulwark_backup_last_success_timestamp_seconds", LOGICAL))
              .hasValue(newest.finishedAt().getEpochSecond());
          assertThat(s.value("bulwark_backup_last_duration_seconds", LOGICAL)).hasValue(90);
          assertThat(s.value("bulwark_backup_last_size_bytes", LOGICAL))
              .hasValue(newest.storedBytes());
          assertThat(s.value("bulwark_backup_verification_passed", "target", TARGET)).hasValue(0);
          assertThat(
                  s.value("bulwark_backup_verification_last_timestamp_seconds", "target", TARGET))
              .hasValue(failed.finishedAt().getEpochSecond());
          assertThat(
                  s.value(
                      "bulwark_backup_last_verified_success_timestamp_seconds", "target", TARGET))
              .hasValue(old.finishedAt().getEpochSecond());
        });

    BackupVerification passed = stored.verify(newest, true);

    Scrapes.awaitAsserted(
        metrics,
        "the newest backup verified",
        s -> {
          assertThat(s.value("bulwark_backup_verification_passed", "target", TARGET)).hasValue(1);
          assertThat(
                  s.value("bulwark_backup_verification_last_timestamp_seconds", "target", TARGET))
              .hasValue(passed.finishedAt().getEpochSecond());
          assertThat(
                  s.value(
                      "bulwark_backup_last_verified_success_timestamp_seconds", "target", TARGET))
              .hasValue(newest.finishedAt().getEpochSecond());
        });
  }
}
