package dev.bulwark.budget.exported;

import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/**
 * Reservation retention: reservations removed after the window (a counter, per replica), and the
 * age of the oldest settled or denied reservation still stored (a gauge read from the database,
 * equal on every replica): far above the window, the retention job is behind or failing.
 */
@ApplicationScoped
public class RetentionMetrics {

  private final Counter removed;
  private final GaugeFamily oldestAge;
  private final GaugeFamily window;
  private final Freshness freshness;

  public RetentionMetrics(MeterRegistry registry, Clock clock) {
    // Like every gauge read from a database: stale is visible, not a frozen last value.
    freshness =
        Freshness.register(registry, "bulwark.budget.retention", "the reservation table", clock);
    removed =
        Counter.builder("bulwark.budget.reservations.removed")
            .description(
                "Settled and denied reservations removed after the retention window (ledger kept)")
            .register(registry);
    oldestAge =
        GaugeFamily.register(
            registry,
            "bulwark.budget.retention.oldest.age.seconds",
            "Age of the oldest settled or denied reservation still stored (0: none)");
    // Exported so that the alert compares the age with this installation's window.
    window =
        GaugeFamily.register(
            registry,
            "bulwark.budget.retention.window.seconds",
            "How long settled and denied reservations are kept (bulwark.budget.retention.window)");
  }

  /** Marks the gauges fresh once {@code refresh} (which reads and publishes them) succeeds. */
  public Uni<Void> track(Uni<Void> refresh) {
    return freshness.track(refresh);
  }

  public void removed(int count) {
    removed.increment(count);
  }

  /** Publishes the oldest stored reservation's age (zero when none is stored) and the window. */
  public void oldest(Duration age, Duration retentionWindow) {
    window.row(retentionWindow.toMillis() / 1000.0).publish();
    oldestAge.row(age.toMillis() / 1000.0).publish();
  }
}
