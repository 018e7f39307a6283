package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of backup-service under {@code bulwark.backup}. */
@ConfigMapping(prefix = "bulwark.backup")
public interface BackupConfig {

  Age age();

  Compression compression();

  /** Whether each new backup is verified at once (restored into a scratch database). */
  @WithDefault("true")
  boolean verifyAfterBackup();

  /**
   * How often one replica looks for each target's newest backup that verify-after-backup could not
   * verify (a verification of the target was running) and starts its verification.
   */
  @WithDefault("1m")
  Duration unverifiedCheckEvery();

  /** pg_dump is stopped, and the backup fails, when it runs longer than this. */
  @WithDefault("6h")
  Duration dumpTimeout();

  /** The databases this service backs up, by a name used in object keys and manifests. */
  Map<String, Target> targets();

  /**
   * The directory of the PostgreSQL client tools ({@code pg_dump}); unset: the server's major under
   * {@code /usr/lib/postgresql}, else {@code pg_config --bindir}, else the newest installed.
   */
  @WithName("pg-bin")
  Optional<String> pgBin();

  /**
   * How often the mirror schedule looks for mirrors whose interval has passed, and refreshes their
   * gauges (docs/api/backup.md, Bucket mirroring).
   */
  @WithDefault("1m")
  Duration mirrorCheckEvery();

  /** One database to back up; its password comes from the environment. */
  interface Target {
    /** Where it is: {@code postgresql://host:port/database} (the port defaults to 5432). */
    String url();

    Optional<String> username();

    /** From the environment, for example {@code BULWARK_BACKUP_TARGETS_PIPELINE_PASSWORD}. */
    Optional<String> password();
  }

  /** The age keys; both come from the environment (a Kubernetes Secret in the chart). */
  interface Age {
    /**
     * The {@code age1...} recipient new backups are encrypted to ({@code
     * BULWARK_BACKUP_AGE_RECIPIENT}); its string is the key id recorded in each manifest.
     */
    Optional<String> recipient();

    /**
     * {@code AGE-SECRET-KEY-1...} identities for verification and restore ({@code
     * BULWARK_BACKUP_AGE_IDENTITY}), one per line or comma-separated, {@code #} comments allowed
     * ({@code age-keygen} output): keep the old ones while backups made with them are retained.
     */
    Optional<String> identity();
  }

  /** zstd compression of dumps before they are encrypted. */
  interface Compression {
    /** zstd level, 1..19. */
    @WithDefault("3")
    int level();

    /** zstd worker threads; 0 compresses on the writing thread. */
    @WithDefault("2")
    int workers();
  }
}
