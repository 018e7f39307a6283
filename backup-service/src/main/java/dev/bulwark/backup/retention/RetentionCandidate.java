package dev.bulwark.backup.retention;

import dev.bulwark.backup.dumps.BackupManifest;
import java.time.Instant;

/**
 * A backup as retention sees it: its manifest and whether its latest verification passed.
 *
 * @param verified its latest verification passed (false when it failed or never ran)
 */
public record RetentionCandidate(BackupManifest backup, boolean verified) {

  public Instant startedAt() {
    return backup.startedAt();
  }

  public String backupId() {
    return backup.backupId();
  }
}
