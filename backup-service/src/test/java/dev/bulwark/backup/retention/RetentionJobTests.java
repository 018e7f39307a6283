package dev.bulwark.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupObjects;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.StoredBackups;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.common.jobs.SingleReplicaJobs;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduled job under {@code Jobs}, with the default policy (90 days) on target "store". */
@QuarkusTest
class RetentionJobTests {

  private static final String TARGET = "store";

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Inject RetentionJob job;
  @Inject ObjectStorage storage;
  @Inject Backups backups;
  @Inject Scheduler scheduler;

  private final MutableClock clock = MutableClock.todayAtNoon();
  private BackupManifest newest;
  private BackupManifest old;
  private BackupManifest older;

  @BeforeEach
  void givenTwoExpiredBackupsAndAVerifiedNewOne() {
    // The test runs the job itself; a scheduled run in between would change what it counts.
    scheduler.pause(RetentionJob.JOB);
    QuarkusMock.installMockForType(clock, Clock.class);
    try (Stream<StoredObject> objects = storage.list(BackupObjects.prefixOf(TARGET))) {
      objects.map(StoredObject::key).toList().forEach(storage::delete);
    }
    StoredBackups stored = new StoredBackups(storage, backups);
    older = stored.backup(TARGET, clock.instant().minus(Duration.ofDays(120)));
    old = stored.backup(TARGET, clock.instant().minus(Duration.ofDays(91)));
    newest = stored.backup(TARGET, clock.instant().minus(Duration.ofHours(2)));
    stored.verify(newest, true);
  }

  @AfterEach
  void resumeTheSchedule() {
    scheduler.resume(RetentionJob.JOB);
  }

  @Test
  void deletesExpiredBackupsCountsThemAndTheRun() {
    PrometheusText before = Scrapes.scrape(metrics);

    job.run().await().atMost(Duration.ofSeconds(30));

    assertThat(backups.of(TARGET)).containsExactly(newest);
    assertThat(objects(older)).isZero();
    assertThat(objects(old)).isZero();
    PrometheusText after = Scrapes.scrape(metrics);
    assertThat(runs(after, "succeeded")).isEqualTo(runs(before, "succeeded") + 1);
    assertThat(deleted(after)).isEqualTo(deleted(before) + 2);
    assertThat(after.value("bulwark_job_last_success_timestamp_seconds", "job", RetentionJob.JOB))
        .hasValue(clock.instant().getEpochSecond());
  }

  @Test
  void skipsWhileAnotherReplicaHoldsTheJobsLock() throws Exception {
    PrometheusText before = Scrapes.scrape(metrics);
    try (Connection otherReplica = postgres.primary().connect("postgres");
        Statement lock = otherReplica.createStatement()) {
      lock.execute("SELECT pg_advisory_lock(" + SingleReplicaJobs.lockKey(RetentionJob.JOB) + ")");

      job.run().await().atMost(Duration.ofSeconds(30));

      assertThat(backups.of(TARGET)).hasSize(3);
      PrometheusText skipped = Scrapes.scrape(metrics);
      assertThat(runs(skipped, "skipped")).isEqualTo(runs(before, "skipped") + 1);
      assertThat(runs(skipped, "succeeded")).isEqualTo(runs(before, "succeeded"));
      // Released explicitly: a closed session's lock goes only once its backend has exited.
      lock.execute(
          "SELECT pg_advisory_unlock(" + SingleReplicaJobs.lockKey(RetentionJob.JOB) + ")");
    }

    job.run().await().atMost(Duration.ofSeconds(30));
    assertThat(backups.of(TARGET)).containsExactly(newest);
  }

  @Test
  void dropsTheUnfinishedWritesOfDeadWritersOnly() throws IOException {
    // The cut-off is the pg_dump time limit (6 h) and an hour before the job's clock.
    Path root = Path.of(URI.create(storage.location()));
    Path dead = partialWrite(root, "dead", clock.instant().minus(Duration.ofHours(8)));
    Path live = partialWrite(root, "live", clock.instant().minus(Duration.ofHours(1)));
    PrometheusText before = Scrapes.scrape(metrics);

    job.run().await().atMost(Duration.ofSeconds(30));

    assertThat(dead).doesNotExist();
    assertThat(live).exists();
    assertThat(dropped(Scrapes.scrape(metrics))).isEqualTo(dropped(before) + 1);
    Files.delete(live);
  }

  private static Path partialWrite(Path root, String name, Instant modified) throws IOException {
    Path file = root.resolve("backups/" + TARGET + "/" + name + "/dump.age~x~partial");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "half a dump");
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  private static double dropped(PrometheusText scrape) {
    return scrape.value("bulwark_backup_retention_unfinished_writes_dropped_total").orElse(0);
  }

  private long objects(BackupManifest backup) {
    try (Stream<StoredObject> objects =
        storage.list(BackupObjects.prefixOf(TARGET, backup.backupId()))) {
      return objects.count();
    }
  }

  private static double runs(PrometheusText scrape, String outcome) {
    return scrape
        .value("bulwark_job_runs_total", "job", RetentionJob.JOB, "outcome", outcome)
        .orElse(0);
  }

  private static double deleted(PrometheusText scrape) {
    return scrape.value("bulwark_backup_retention_deleted_total", "target", TARGET).orElse(0);
  }
}
