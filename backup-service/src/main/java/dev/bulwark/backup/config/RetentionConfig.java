package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * How long backups are kept, under {@code bulwark.backup.retention}; docs/api/backup.md (Retention)
 * explains the rules. Checked at start-up: a bad value stops the service naming it.
 */
@ConfigMapping(prefix = "bulwark.backup.retention")
public interface RetentionConfig {

  /** Backups that started more than this many days ago are deleted (with the exceptions). */
  @WithDefault("90")
  @Min(1)
  int days();

  /** The newest backup of each of the last N UTC days is kept even when older than days. */
  @WithDefault("0")
  @Min(0)
  int keepDaily();

  /** The newest backup of each of the last N ISO weeks (UTC, Monday first) is kept. */
  @WithDefault("0")
  @Min(0)
  int keepWeekly();

  /** The newest backup of each of the last N UTC calendar months is kept. */
  @WithDefault("0")
  @Min(0)
  int keepMonthly();

  /**
   * Objects of a backup without a manifest (a run that died) are deleted once their newest object
   * is older than this; it must be longer than any backup run, or a run in progress loses its dump.
   */
  @WithDefault("1d")
  Duration leftoverGrace();

  /** How often the retention job runs (on one replica). */
  @WithDefault("1h")
  Duration interval();
}
