package dev.bulwark.backup.pitr.base;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PITR retention's sweep of base backup leftovers, as Prometheus scrapes it: the service's own
 * {@code file://} storage, the default grace ({@code 1d}), leftover ages from the files' write
 * times.
 */
@QuarkusTest
class PitrLeftoverMetricsTests {

  private static final String TARGET = "store";
  private static final String METRIC = "bulwark_backup_pitr_retention_leftovers_deleted_total";

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Inject ObjectStorage storage;
  @Inject BaseBackups bases;
  @Inject PitrRetention retention;

  @Test
  void aSweptLeftoverIsCountedPerTargetAndAYoungOneIsNeither() throws IOException {
    ObjectKey dead = piece("dead-" + UUID.randomUUID(), Instant.now().minus(Duration.ofDays(2)));
    ObjectKey young = piece("young-" + UUID.randomUUID(), Instant.now());
    double before = Scrapes.scrape(metrics).value(METRIC, "target", TARGET).orElse(0);

    PitrRetention.Pruned pruned = retention.prune(TARGET);

    assertThat(pruned.leftovers()).contains(idOf(dead)).doesNotContain(idOf(young));
    assertThat(bases.leftovers(TARGET))
        .extracting(leftover -> leftover.backupId())
        .contains(idOf(young))
        .doesNotContain(idOf(dead));
    // One per run swept (a crashed earlier test run may have left more under the target).
    assertThat(Scrapes.scrape(metrics).value(METRIC, "target", TARGET))
        .hasValue(before + pruned.leftovers().size());
    storage.delete(young);
  }

  /** A first tar piece of a run without a manifest, last written at {@code writtenAt}. */
  private ObjectKey piece(String backupId, Instant writtenAt) throws IOException {
    ObjectKey key = BaseBackupObjects.keyOf(TARGET, backupId, BaseBackupObjects.piece(0));
    storage.put(
        key, new ByteArrayInputStream("half a base backup".getBytes(StandardCharsets.UTF_8)));
    Path file = Path.of(URI.create(storage.location())).resolve(key.value());
    Files.setLastModifiedTime(file, FileTime.from(writtenAt));
    return key;
  }

  private static String idOf(ObjectKey key) {
    return BaseBackupObjects.backupIdOf(TARGET, key).orElseThrow();
  }
}
