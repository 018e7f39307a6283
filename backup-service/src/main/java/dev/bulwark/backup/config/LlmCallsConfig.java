package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * The raw-data archive's LLM calls under {@code bulwark.backup.llm-calls} (docs/api/archive.md).
 */
@ConfigMapping(prefix = "bulwark.backup.llm-calls")
public interface LlmCallsConfig {

  /**
   * Calls are kept this long; a month partition is dropped once its whole month is older (rows of
   * leads under a legal hold stay), and a call older than this is refused at ingest.
   */
  @WithDefault("400d")
  Duration retention();

  /** Most calls one batch may carry; more is a 413. */
  @WithDefault("1000")
  @Min(1)
  @Max(10000)
  int maxBatchCalls();

  /**
   * Most UTF-8 bytes of prompts and completions one batch may carry; more is a 413. Below Quarkus's
   * body limit ({@code quarkus.http.limits.max-body-size}, 10M), which answers a bigger body first.
   */
  @WithDefault("8388608")
  @Min(1)
  long maxBatchBytes();

  /** How far after the clock a call may say it started (the callers' clocks drift). */
  @WithDefault("1h")
  Duration futureSkew();

  /** How many months after the current one the maintenance job keeps partitions ready for. */
  @WithDefault("2")
  @Min(0)
  @Max(24)
  int partitionsAhead();

  /** How often the maintenance job (partitions ahead, retention) runs, on one replica. */
  @WithDefault("1h")
  Duration maintenanceEvery();

  /** How long after start-up the maintenance job first runs: a starting replica serves first. */
  @WithDefault("1m")
  Duration maintenanceDelay();

  /** How often every replica re-reads the archive's gauges from the database. */
  @WithDefault("60s")
  Duration gaugesEvery();
}
