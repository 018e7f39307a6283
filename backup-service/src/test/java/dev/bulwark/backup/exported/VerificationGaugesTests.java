package dev.bulwark.backup.exported;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.dumps.BackupVerification;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The application's verification gauges, refreshed from storage by their scheduled job. */
@QuarkusTest
class VerificationGaugesTests {

  @Inject Backups backups;
  @Inject ObjectStorage storage;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @BeforeEach
  @AfterEach
  void forgetStoredBackups() {
    storage.list("backups/store/").map(StoredObject::key).toList().forEach(storage::delete);
  }

  @Test
  void theNewestVerifiedBackupOfATargetIsExported() {
    awaitAsserted(
        metrics,
        "no verification, no values",
        s -> {
          assertThat(s.has("bulwark_backup_verification_passed")).isFalse();
          assertThat(s.value("bulwark_backup_verification_gauges_up")).hasValue(1);
        });

    Instant older = Instant.parse("2026-03-01T12:00:00Z");
    Instant newer = Instant.parse("2026-03-02T12:00:00Z");
    backups.saveVerification(verification("20260301T115000Z-aaaaaa", older, true, List.of()));
    backups.saveVerification(
        verification(
            "20260302T115000Z-bbbbbb",
            newer,
            false,
            List.of("table public.a is missing", "table public.b is missing")));
    // Saved last, but of the older backup: the newest backup's result is the one shown.
    backups.saveVerification(
        verification("20260301T115000Z-aaaaaa", newer.plusSeconds(60), true, List.of()));

    awaitAsserted(
        metrics,
        "the newest backup's verification",
        s -> {
          assertThat(s.value("bulwark_backup_verification_passed", "target", "store")).hasValue(0);
          assertThat(s.value("bulwark_backup_verification_mismatches", "target", "store"))
              .hasValue(2);
          assertThat(s.value("bulwark_backup_verification_timestamp_seconds", "target", "store"))
              .hasValue(newer.getEpochSecond());
        });
  }

  private static BackupVerification verification(
      String backupId, Instant finishedAt, boolean passed, List<String> mismatches) {
    return new BackupVerification(
        "store",
        backupId,
        finishedAt.minusSeconds(30),
        finishedAt,
        passed,
        mismatches,
        new TreeMap<>());
  }
}
