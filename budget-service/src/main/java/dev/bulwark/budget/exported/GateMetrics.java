package dev.bulwark.budget.exported;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

/** Counters and timers of the gate itself; per replica, so rules sum them. */
@ApplicationScoped
public class GateMetrics {

  private final Counter granted;
  private final Counter denied;
  private final Counter replayed;
  private final Counter overruns;
  private final Counter overrunUsd;
  private final Counter expired;
  private final Counter lateCommits;
  private final Counter lateUsd;
  private final Counter ungatedSpends;
  private final Counter ungatedUsd;
  private final Timer reserveLatency;
  private final Timer commitLatency;

  public GateMetrics(MeterRegistry registry) {
    granted = decisions(registry, "granted");
    denied = decisions(registry, "denied");
    replayed = decisions(registry, "replayed");
    overruns =
        Counter.builder("bulwark.budget.overruns")
            .description("Commits whose actual cost exceeded the reserved estimate")
            .register(registry);
    overrunUsd =
        Counter.builder("bulwark.budget.overrun.usd")
            .description("USD committed beyond the reserved estimates")
            .register(registry);
    expired =
        Counter.builder("bulwark.budget.expired.holds")
            .description("Holds released because their TTL passed without a commit or release")
            .register(registry);
    lateCommits =
        Counter.builder("bulwark.budget.late.commits")
            .description("Commits recorded after their hold had expired (all of it an overrun)")
            .register(registry);
    lateUsd =
        Counter.builder("bulwark.budget.late.usd")
            .description("USD committed after the holds had expired")
            .register(registry);
    ungatedSpends =
        Counter.builder("bulwark.budget.ungated.spends")
            .description("Spend recorded without a reservation")
            .register(registry);
    ungatedUsd =
        Counter.builder("bulwark.budget.ungated.usd")
            .description("USD recorded without a reservation")
            .register(registry);
    reserveLatency = gateTimer(registry, "reserve");
    commitLatency = gateTimer(registry, "commit");
  }

  public void decided(boolean wasGranted, boolean wasReplayed, long nanos) {
    (wasReplayed ? replayed : wasGranted ? granted : denied).increment();
    reserveLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void committed(BigDecimal estimate, BigDecimal actual, boolean late, long nanos) {
    commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    if (late) {
      lateCommits.increment();
      lateUsd.increment(actual.doubleValue());
      return;
    }
    BigDecimal overrun = actual.subtract(estimate);
    if (overrun.signum() > 0) {
      overruns.increment();
      overrunUsd.increment(overrun.doubleValue());
    }
  }

  public void ungated(BigDecimal amount) {
    ungatedSpends.increment();
    ungatedUsd.increment(amount.doubleValue());
  }

  public void expired(int count) {
    expired.increment(count);
  }

  private static Counter decisions(MeterRegistry registry, String outcome) {
    return Counter.builder("bulwark.budget.decisions")
        .description(
            "Gate decisions by outcome (replayed: answered from an earlier idempotent request)")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Timer gateTimer(MeterRegistry registry, String operation) {
    return Timer.builder("bulwark.budget.gate")
        .description("Time from a gate request to its decision, including batching")
        .tag("operation", operation)
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .register(registry);
  }
}
