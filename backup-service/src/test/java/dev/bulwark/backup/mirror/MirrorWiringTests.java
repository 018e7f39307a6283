package dev.bulwark.backup.mirror;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.LogicalBackup;
import dev.bulwark.backup.storage.FileStorage;
import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The test profile's mirror {@code backups}: the service's own storage (target/test-storage) to
 * target/test-mirror, run directly and by its schedule.
 */
@QuarkusTest
class MirrorWiringTests {

  private static final String[] MIRROR = {"mirror", "backups"};

  @Inject BucketMirror mirror;
  @Inject LogicalBackup logicalBackup;
  @Inject ObjectStorage storage;
  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  private final FileStorage destination =
      FileStorage.at(Path.of("target", "test-mirror").toAbsolutePath());

  @Test
  void aMirrorOfTheServicesOwnStorageCopiesItsBackups() throws IOException {
    // The schedule runs the never-run mirror at start; wait for it so the runs do not overlap.
    awaitFirstScheduledRun();
    BackupManifest backup = logicalBackup.run("store");
    String prefix = "backups/store/" + backup.backupId() + "/";
    List<StoredObject> backupObjects = storage.list(prefix).toList();

    MirrorReport report = mirror.run("backups", MirrorProgress.NONE);

    assertThat(backupObjects).hasSizeGreaterThanOrEqualTo(2); // the dump and its manifest
    assertThat(report.objectsCopied()).isGreaterThanOrEqualTo(backupObjects.size());
    assertThat(report.objectsFailed()).isZero();
    for (StoredObject object : backupObjects) {
      assertThat(bytes(destination, object.key()))
          .as(object.key().value())
          .isEqualTo(bytes(storage, object.key()));
    }
    assertThat(destination.head(ObjectKey.of(backup.dumpKey())).orElseThrow().size())
        .isEqualTo(backup.storedBytes());
  }

  @Test
  void theScheduleRunsTheMirrorOnceItsIntervalHasPassedAndExportsTheRun() throws IOException {
    awaitFirstScheduledRun();
    // Past the test profile's 1000-day interval since any run of this JVM.
    MutableClock clock =
        MutableClock.at(Instant.now().plus(Duration.ofDays(2000)).truncatedTo(ChronoUnit.SECONDS));
    ObjectKey key = ObjectKey.of("mirror-wiring/" + UUID.randomUUID() + ".txt");
    storage.put(key, out -> out.write("scheduled".getBytes(UTF_8)));
    double objectsBefore = counter("bulwark_mirror_copied_objects_total");
    double bytesBefore = counter("bulwark_mirror_copied_bytes_total");

    QuarkusMock.installMockForType(clock, Clock.class);

    double at = clock.instant().getEpochSecond();
    Scrapes.awaitAsserted(
        metrics,
        "the scheduled mirror run's gauges",
        scrape -> {
          assertThat(scrape.value("bulwark_mirror_last_run_timestamp_seconds", MIRROR))
              .hasValue(at);
          assertThat(scrape.value("bulwark_mirror_last_success_timestamp_seconds", MIRROR))
              .hasValue(at);
          assertThat(scrape.value("bulwark_mirror_last_run_failed_objects", MIRROR)).hasValue(0);
          assertThat(scrape.value("bulwark_mirror_objects_pending", MIRROR)).hasValue(0);
        });
    assertThat(bytes(destination, key)).isEqualTo("scheduled".getBytes(UTF_8));
    // What the run recorded as copied at its (pinned) time is what the counters grew by.
    String copiedAt = "timestamptz '" + clock.instant() + "'";
    long copied =
        Long.parseLong(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM backup.mirror_object WHERE mirror = 'backups'"
                        + " AND copied_at = "
                        + copiedAt));
    long copiedBytes =
        Long.parseLong(
            postgres
                .primary()
                .queryValue(
                    "SELECT coalesce(sum(size), 0) FROM backup.mirror_object"
                        + " WHERE mirror = 'backups' AND copied_at = "
                        + copiedAt));
    assertThat(copied).isGreaterThanOrEqualTo(1);
    assertThat(counter("bulwark_mirror_copied_objects_total") - objectsBefore).isEqualTo(copied);
    assertThat(counter("bulwark_mirror_copied_bytes_total") - bytesBefore).isEqualTo(copiedBytes);
    storage.delete(key);
  }

  private void awaitFirstScheduledRun() {
    await("the scheduled first run of mirror 'backups'")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                postgres
                    .primary()
                    .queryValue("SELECT count(*) FROM backup.mirror_run WHERE mirror = 'backups'")
                    .equals("1"));
  }

  private double counter(String name) {
    double value = Scrapes.value(metrics, name, MIRROR);
    return Double.isNaN(value) ? 0 : value;
  }

  private static byte[] bytes(ObjectStorage storage, ObjectKey key) throws IOException {
    try (InputStream in = storage.get(key)) {
      return in.readAllBytes();
    }
  }
}
