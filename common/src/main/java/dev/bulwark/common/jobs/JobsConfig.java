package dev.bulwark.common.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of every scheduled job, under {@code bulwark.jobs}. */
@ConfigMapping(prefix = "bulwark.jobs")
public interface JobsConfig {

  /** Longest a run may take before it counts as failed and the next tick may start. */
  @WithDefault("5m")
  Duration timeout();
}
