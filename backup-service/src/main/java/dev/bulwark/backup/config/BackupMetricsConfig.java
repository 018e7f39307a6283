package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The backup gauges under {@code bulwark.backup.metrics}. */
@ConfigMapping(prefix = "bulwark.backup.metrics")
public interface BackupMetricsConfig {

  /** How often every replica re-reads the backups in storage to refresh its gauges. */
  @WithDefault("60s")
  Duration interval();
}
