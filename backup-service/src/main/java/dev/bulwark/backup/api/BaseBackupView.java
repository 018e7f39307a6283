package dev.bulwark.backup.api;

import dev.bulwark.backup.pitr.base.BaseBackupManifest;
import java.time.Instant;

/** A base backup as the API shows it. */
public record BaseBackupView(
    String target,
    String backupId,
    Instant startedAt,
    Instant finishedAt,
    int serverVersion,
    long timeline,
    String startLsn,
    String endLsn,
    String startWalSegment,
    String endWalSegment,
    long rawBytes,
    long storedBytes,
    String keyId) {

  static BaseBackupView of(BaseBackupManifest m) {
    return new BaseBackupView(
        m.target(),
        m.backupId(),
        m.startedAt(),
        m.finishedAt(),
        m.serverVersion(),
        m.timeline(),
        m.startLsn(),
        m.endLsn(),
        m.startWalSegment(),
        m.endWalSegment(),
        m.rawBytes(),
        m.storedBytes(),
        m.keyId());
  }
}
