package dev.bulwark.failover.exported;

import dev.bulwark.common.metrics.Freshness;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * {@code bulwark_failover_store_up}: 1 when failover-service's own store answered its last read.
 * Without it the service takes no decision.
 */
@ApplicationScoped
public class StoreMetrics {

  private final Freshness freshness;

  public StoreMetrics(MeterRegistry registry, Clock clock) {
    this.freshness =
        Freshness.register(
            registry, "bulwark.failover.store", "failover-service's own store", clock);
  }

  public Freshness freshness() {
    return freshness;
  }
}
