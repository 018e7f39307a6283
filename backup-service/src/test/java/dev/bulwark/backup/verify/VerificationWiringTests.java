package dev.bulwark.backup.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.restore.BackupRestorer;
import dev.bulwark.backup.restore.InvalidDatabaseName;
import dev.bulwark.backup.restore.RestoreProgress;
import dev.bulwark.backup.restore.RestoreRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The application's verifier and restorer, built from the test profile's configuration. */
@QuarkusTest
class VerificationWiringTests {

  @Inject BackupVerifier verifier;
  @Inject BackupRestorer restorer;

  @Test
  void anUnknownBackupOfTheConfiguredTargetIsNotFound() {
    assertThatThrownBy(() -> verifier.verify("store", "20200101T000000Z-000000"))
        .isInstanceOfSatisfying(
            BackupNotFound.class,
            problem -> assertThat(problem.slug()).isEqualTo("backup-not-found"))
        .hasMessageContaining("'store'");
  }

  @Test
  void aRestoreChecksTheDatabaseNameFirst() {
    assertThatThrownBy(
            () ->
                restorer.restore(
                    new RestoreRequest("store", "20200101T000000Z-000000", "bad-name", false),
                    RestoreProgress.NONE))
        .isInstanceOf(InvalidDatabaseName.class);
  }
}
