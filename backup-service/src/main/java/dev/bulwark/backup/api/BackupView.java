package dev.bulwark.backup.api;

import dev.bulwark.backup.dumps.BackupManifest;
import dev.bulwark.backup.dumps.BackupVerification;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A logical backup as the API shows it: its manifest and latest verification ({@code null} when
 * never verified). Lists leave {@code rowCounts} out (null); one backup's page has them.
 */
public record BackupView(
    String target,
    String backupId,
    Instant startedAt,
    Instant finishedAt,
    double durationSeconds,
    int serverVersionNum,
    long rawBytes,
    long storedBytes,
    String storedSha256,
    String keyId,
    int tables,
    SortedMap<String, Long> rowCounts,
    VerificationView verification) {

  static BackupView summary(BackupManifest manifest, Optional<BackupVerification> verification) {
    return of(manifest, verification, false);
  }

  static BackupView detail(BackupManifest manifest, Optional<BackupVerification> verification) {
    return of(manifest, verification, true);
  }

  private static BackupView of(
      BackupManifest manifest, Optional<BackupVerification> verification, boolean rows) {
    return new BackupView(
        manifest.target(),
        manifest.backupId(),
        manifest.startedAt(),
        manifest.finishedAt(),
        Duration.between(manifest.startedAt(), manifest.finishedAt()).toMillis() / 1000.0,
        manifest.serverVersionNum(),
        manifest.rawBytes(),
        manifest.storedBytes(),
        manifest.storedSha256(),
        manifest.ageRecipient(),
        manifest.rowCounts().size(),
        rows ? manifest.rowCounts() : null,
        verification.map(VerificationView::of).orElse(null));
  }
}
