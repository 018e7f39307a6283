package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How background jobs (backups, verifications, restores, mirror runs) run: {@code
 * bulwark.backup.jobs}.
 */
@ConfigMapping(prefix = "bulwark.backup.jobs")
public interface JobRunnerConfig {

  /** Jobs this replica runs at once; more wait for a worker. */
  @WithDefault("2")
  int workers();

  /**
   * Tries of a failing backup or verification (storage or database unreachable) before it fails.
   */
  @WithDefault("3")
  int attempts();

  /** Wait before the second try; it doubles before each further one. */
  @WithDefault("30s")
  Duration retryBackoff();

  /** How often a replica renews the heartbeat of the jobs it runs. */
  @WithDefault("15s")
  Duration heartbeat();

  /** A running job whose heartbeat is older than this was abandoned (its replica stopped). */
  @WithDefault("2m")
  Duration abandonedAfter();
}
