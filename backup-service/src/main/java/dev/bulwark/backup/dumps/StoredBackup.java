package dev.bulwark.backup.dumps;

import java.util.Optional;

/** A backup as storage holds it: its manifest and its latest verification, if it had one. */
public record StoredBackup(BackupManifest manifest, Optional<BackupVerification> verification) {

  /** Whether its latest verification passed. */
  public boolean verified() {
    return verification.map(BackupVerification::passed).orElse(false);
  }
}
