package dev.bulwark.backup.dumps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.storage.StoredObject;
import dev.bulwark.testing.MutableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The application's LogicalBackup and Backups, with the test profile's target and key. */
@QuarkusTest
class LogicalBackupWiringTests {

  @Inject LogicalBackup logicalBackup;
  @Inject Backups backups;
  @Inject ObjectStorage storage;
  private final MutableClock clock = MutableClock.todayAtNoon();

  @BeforeEach
  void pinClockAndForgetEarlierRuns() {
    QuarkusMock.installMockForType(clock, Clock.class);
    // target/test-storage outlives a run: an earlier run's backup at the same pinned noon would
    // tie with this one.
    storage.list("backups/store/").map(StoredObject::key).toList().forEach(storage::delete);
  }

  @Test
  void theConfiguredTargetIsBackedUpAndListed() throws IOException {
    BackupManifest manifest = logicalBackup.run("store");

    assertThat(manifest.startedAt()).isEqualTo(clock.instant());
    assertThat(manifest.ageRecipient())
        .isEqualTo("age1x3vuql3zm7s8h76gqf4tgu07t2ls0yncr6r4v8reakjs5k999smshya4gq");
    assertThat(storage.head(ObjectKey.of(manifest.dumpKey())).orElseThrow().size())
        .isEqualTo(manifest.storedBytes());
    assertThat(backups.of("store")).containsExactly(manifest);
  }

  @Test
  void anUnconfiguredTargetIsNotFound() {
    assertThatThrownBy(() -> logicalBackup.run("pipeline"))
        .isInstanceOfSatisfying(
            TargetNotFound.class, problem -> assertThat(problem.status()).isEqualTo(404))
        .hasMessageContaining("[store]");
  }
}
