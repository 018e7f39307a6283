package dev.bulwark.budget.exported;

import dev.bulwark.budget.budgets.BudgetState;
import dev.bulwark.budget.budgets.BudgetSummaries;
import dev.bulwark.budget.budgets.BudgetSummary;
import dev.bulwark.budget.budgets.Budgets;
import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.budgets.PeriodKind;
import dev.bulwark.budget.budgets.StateCount;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gauges of the budgets' current periods, refreshed from the database so every replica reports the
 * same values: per exported budget (limit, soft limit, spent, held, remaining in USD, at most
 * {@code bulwark.budget.exported-limit} of them), and for all the others counts by state, mode and
 * period and their largest utilisation, so the series stay bounded however many budgets exist.
 * {@code bulwark_budget_gauges_up} is 0 while they cannot be read and the values beside it are
 * stale.
 */
@ApplicationScoped
public class BudgetGauges {

  private final BudgetSummaries summaries;
  private final Jobs jobs;
  private final Freshness freshness;
  private final GaugeFamily limit;
  private final GaugeFamily softLimit;
  private final GaugeFamily spent;
  private final GaugeFamily held;
  private final GaugeFamily remaining;
  private final GaugeFamily leftOut;
  private final GaugeFamily aggregated;
  private final GaugeFamily maxUtilisation;

  public BudgetGauges(BudgetSummaries summaries, Jobs jobs, MeterRegistry registry, Clock clock) {
    this.summaries = summaries;
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
    leftOut =
        GaugeFamily.register(
            registry,
            "bulwark.budget.exported.left.out",
            "Exported budgets beyond bulwark.budget.exported-limit, counted in the aggregates"
                + " instead of having gauges of their own");
    aggregated =
        GaugeFamily.register(
            registry,
            "bulwark.budget.aggregated.budgets",
            "Live budgets without gauges of their own, by the state of their current period");
    maxUtilisation =
        GaugeFamily.register(
            registry,
            "bulwark.budget.aggregated.max.utilisation.ratio",
            "Largest (spent + held) / limit among the live budgets without gauges of their own");
  }

  @Scheduled(
      every = "${bulwark.budget.gauges-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return jobs.onEveryReplica(
        "budget-gauges", () -> freshness.track(summaries.read().invoke(this::publish)));
  }

  /** One aggregate row's labels. */
  private record Group(BudgetState state, Mode mode, PeriodKind period) {}

  /** One largest-ratio row's labels. */
  private record Kind(Mode mode, PeriodKind period) {}

  private void publish(BudgetSummary summary) {
    publishExported(summary.exported());
    leftOut.row(summary.exportedLeftOut()).publish();
    Map<Group, Long> counts = new HashMap<>();
    Map<Kind, BigDecimal> peaks = new HashMap<>();
    for (StateCount c : summary.others()) {
      counts.put(new Group(c.state(), c.mode(), c.period()), c.budgets());
      peaks.merge(new Kind(c.mode(), c.period()), c.maxUtilisation(), BigDecimal::max);
    }
    // Every combination, zero when no budget is in it: a true count, and a series that does not
    // come and go (which would reset an alert's for:).
    for (BudgetState state : BudgetState.values()) {
      for (Mode mode : Mode.values()) {
        for (PeriodKind period : PeriodKind.values()) {
          aggregated.row(
              counts.getOrDefault(new Group(state, mode, period), 0L),
              "state",
              state.wire(),
              "mode",
              mode.wire(),
              "period",
              period.wire());
        }
      }
    }
    aggregated.publish();
    // A largest ratio only where there are budgets: none is no value, not a zero.
    peaks.forEach(
        (kind, ratio) ->
            maxUtilisation.row(
                Money.toDouble(ratio), "mode", kind.mode().wire(), "period", kind.period().wire()));
    maxUtilisation.publish();
  }

  private void publishExported(List<Budgets.WithPeriod> all) {
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
