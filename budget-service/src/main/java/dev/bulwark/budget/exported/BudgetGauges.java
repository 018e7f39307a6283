package dev.bulwark.budget.exported;

import dev.bulwark.budget.budgets.Budgets;
import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import dev.bulwark.common.money.Money;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * Per-budget gauges of the current period (limit, soft limit, spent, held, remaining in USD),
 * refreshed from the database so every replica reports the same values; {@code
 * bulwark_budget_gauges_up} is 0 while they cannot be read and the values beside it are stale.
 */
@ApplicationScoped
public class BudgetGauges {

  private final Budgets budgets;
  private final Jobs jobs;
  private final Freshness freshness;
  private final GaugeFamily limit;
  private final GaugeFamily softLimit;
  private final GaugeFamily spent;
  private final GaugeFamily held;
  private final GaugeFamily remaining;

  public BudgetGauges(Budgets budgets, Jobs jobs, MeterRegistry registry, Clock clock) {
    this.budgets = budgets;
    this.jobs = jobs;
    freshness = Freshness.register(registry, "bulwark.budget.gauges", "the budget tables", clock);
    limit =
        GaugeFamily.register(
            registry, "bulwark.budget.limit.usd", "Hard limit of the budget's current period, USD");
    softLimit =
        GaugeFamily.register(
            registry, "bulwark.budget.soft.limit.usd", "Soft limit (limit times soft ratio), USD");
    spent =
        GaugeFamily.register(
            registry,
            "bulwark.budget.spent.usd",
            "Committed spend in the budget's current period, USD");
    held =
        GaugeFamily.register(
            registry,
            "bulwark.budget.held.usd",
            "Reserved but not yet committed in the current period, USD");
    remaining =
        GaugeFamily.register(
            registry, "bulwark.budget.remaining.usd", "Limit minus spent minus held, USD");
  }

  @Scheduled(
      every = "${bulwark.budget.gauges-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return jobs.onEveryReplica(
        "budget-gauges", () -> freshness.track(budgets.list(false).invoke(this::publish)));
  }

  private void publish(List<Budgets.WithPeriod> all) {
    publish(limit, all, w -> w.budget().limitUsd());
    publish(softLimit, all, w -> w.budget().softLimitUsd());
    publish(spent, all, w -> w.current().spentUsd());
    publish(held, all, w -> w.current().heldUsd());
    publish(
        remaining,
        all,
        w ->
            w.budget().limitUsd().subtract(w.current().spentUsd()).subtract(w.current().heldUsd()));
  }

  private static void publish(
      GaugeFamily family,
      List<Budgets.WithPeriod> all,
      Function<Budgets.WithPeriod, BigDecimal> value) {
    for (Budgets.WithPeriod w : all) {
      family.row(
          Money.toDouble(value.apply(w)),
          "budget",
          w.budget().name(),
          "period",
          w.budget().period().wire(),
          "mode",
          w.budget().mode().wire());
    }
    family.publish();
  }
}
