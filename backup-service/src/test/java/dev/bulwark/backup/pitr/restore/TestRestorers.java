package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.base.BaseBackups;
import dev.bulwark.backup.pitr.base.PgBaseBackupBuilder;
import dev.bulwark.backup.pitr.base.PieceSettings;
import dev.bulwark.backup.pitr.base.PitrTargets;
import dev.bulwark.backup.storage.ObjectStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Restorers outside CDI over one storage: the machine's PostgreSQL binaries, the system clock and
 * three minutes for a scratch instance to recover.
 */
final class TestRestorers {

  private TestRestorers() {}

  /**
   * Restores {@code enabled} of {@code targets} from base backups and WAL in {@code storage},
   * decrypted with {@code keyring}, into scratch directories under {@code scratch}.
   */
  static PitrRestorer of(
      BackupTargets targets,
      Set<String> enabled,
      ObjectStorage storage,
      AgeKeyring keyring,
      Path scratch,
      PieceSettings pieces) {
    return new PitrRestorer(
        new PitrTargets(targets, enabled),
        new BaseBackups(storage),
        new WalArchive(storage, keyring),
        storage,
        keyring,
        PgBaseBackupBuilder.SYSTEM_BINARIES,
        Clock.systemUTC(),
        scratch,
        Duration.ofMinutes(3),
        pieces);
  }
}
