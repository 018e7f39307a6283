package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.crypto.AgeKeyring;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.pitr.wal.HostPort;
import dev.bulwark.backup.storage.ObjectStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a {@link PgBaseBackup} outside CDI with what tests leave alone defaulted: the machine's
 * PostgreSQL binaries, the system clock, the configuration's piece settings, and each target read
 * at its own URL (no WAL receiver following a primary).
 */
public final class PgBaseBackupBuilder {

  /** The machine's pg_basebackup, as the service finds it with nothing configured. */
  public static final PgDumpBinary SYSTEM_BINARIES =
      new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql"));

  private final BackupTargets targets;
  private final ObjectStorage storage;
  private final AgeKeyring keyring;
  private PgDumpBinary binaries = SYSTEM_BINARIES;
  private Clock clock = Clock.systemUTC();
  private PieceSettings pieces = PieceSettings.DEFAULTS;
  private Function<String, Optional<HostPort>> primaryOf = target -> Optional.empty();

  private PgBaseBackupBuilder(BackupTargets targets, ObjectStorage storage, AgeKeyring keyring) {
    this.targets = targets;
    this.storage = storage;
    this.keyring = keyring;
  }

  /** Base backups of {@code targets} into {@code storage}, encrypted to {@code keyring}. */
  public static PgBaseBackupBuilder of(
      BackupTargets targets, ObjectStorage storage, AgeKeyring keyring) {
    return new PgBaseBackupBuilder(targets, storage, keyring);
  }

  public PgBaseBackupBuilder binaries(PgDumpBinary binaries) {
    this.binaries = binaries;
    return this;
  }

  public PgBaseBackupBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public PgBaseBackupBuilder pieces(PieceSettings pieces) {
    this.pieces = pieces;
    return this;
  }

  /** Where a target's primary is when it is not at the target's URL (after a failover). */
  public PgBaseBackupBuilder primaryOf(Function<String, Optional<HostPort>> primaryOf) {
    this.primaryOf = primaryOf;
    return this;
  }

  public PgBaseBackup build() {
    return new PgBaseBackup(targets, storage, keyring, binaries, clock, pieces, primaryOf);
  }
}
