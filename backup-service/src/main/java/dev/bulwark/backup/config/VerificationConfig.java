package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How verification results are exported, under {@code bulwark.backup.verification}. */
@ConfigMapping(prefix = "bulwark.backup.verification")
public interface VerificationConfig {

  /** How often the verification gauges are re-read from storage (read by {@code @Scheduled}). */
  @WithDefault("60s")
  Duration gaugesEvery();
}
