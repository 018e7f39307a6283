package dev.bulwark.common.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;

/**
 * The companions of gauges refreshed from one source: {@code <prefix>_up} (1 when the last refresh
 * succeeded; 0: the values beside it are stale) and {@code
 * <prefix>_last_success_timestamp_seconds}. A refresh publishes its values first and only then
 * reports up, so a scrape never pairs fresh-up with stale values.
 */
public final class Freshness {

  private final Clock clock;
  private volatile boolean up;
  private volatile Instant lastSuccess;

  private Freshness(Clock clock) {
    this.clock = clock;
  }

  /**
   * Registers both companions under {@code prefix} (Micrometer's dotted form, such as {@code
   * bulwark.budget.gauges}); {@code source} names what the gauges are read from, for their help.
   */
  public static Freshness register(
      MeterRegistry registry, String prefix, String source, Clock clock) {
    Freshness freshness = new Freshness(clock);
    Gauge.builder(prefix + ".up", freshness, f -> f.up ? 1 : 0)
        .description("1 when the last read of " + source + " succeeded; 0: its values are stale")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            prefix + ".last.success.timestamp.seconds",
            freshness,
            f -> f.lastSuccess == null ? Double.NaN : f.lastSuccess.toEpochMilli() / 1000.0)
        .description("When " + source + " was last read successfully, Unix time")
        .strongReference(true)
        .register(registry);
    return freshness;
  }

  /**
   * Tracks one refresh: {@code refresh} reads and publishes; its success marks the values fresh,
   * its failure stale. The failure is passed on, for the job that ran it to log and count.
   */
  public <T> Uni<T> track(Uni<T> refresh) {
    return refresh
        .invoke(
            ignored -> {
              lastSuccess = clock.instant();
              up = true;
            })
        .onFailure()
        .invoke(f -> up = false)
        // A run its job timed out is cancelled, not failed: its values are stale all the same.
        .onCancellation()
        .invoke(() -> up = false);
  }

  public boolean isUp() {
    return up;
  }
}
