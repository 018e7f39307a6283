package dev.bulwark.budget.metrics;

import dev.bulwark.budget.budgets.Budgets;
import dev.bulwark.common.money.Money;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Per-budget gauges of the current period (limit, soft limit, spent, held, remaining in USD),
 * refreshed from the database so every replica reports the same values.
 */
@ApplicationScoped
public class BudgetGauges {

  private static final Logger LOG = Logger.getLogger(BudgetGauges.class);

  private final Budgets budgets;
  private final MultiGauge limit;
  private final MultiGauge softLimit;
  private final MultiGauge spent;
  private final MultiGauge held;
  private final MultiGauge remaining;

  public BudgetGauges(Budgets budgets, MeterRegistry registry) {
    this.budgets = budgets;
    limit =
        gauge(
            registry, "bulwark.budget.limit.usd", "Hard limit of the budget's current period, USD");
    softLimit =
        gauge(
            registry, "bulwark.budget.soft.limit.usd", "Soft limit (limit times soft ratio), USD");
    spent =
        gauge(
            registry,
            "bulwark.budget.spent.usd",
            "Committed spend in the budget's current period, USD");
    held =
        gauge(
            registry,
            "bulwark.budget.held.usd",
            "Reserved but not yet committed in the current period, USD");
    remaining =
        gauge(registry, "bulwark.budget.remaining.usd", "Limit minus spent minus held, USD");
  }

  @Scheduled(
      every = "${bulwark.budget.gauges-every:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refresh() {
    return budgets
        .list(false)
        .invoke(this::publish)
        .onFailure()
        .invoke(f -> LOG.debugf("budget gauges not refreshed: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  void publish(List<Budgets.WithPeriod> all) {
    limit.register(rows(all, w -> w.budget().limitUsd()), true);
    softLimit.register(rows(all, w -> w.budget().softLimitUsd()), true);
    spent.register(rows(all, w -> w.current().spentUsd()), true);
    held.register(rows(all, w -> w.current().heldUsd()), true);
    remaining.register(
        rows(
            all,
            w ->
                w.budget()
                    .limitUsd()
                    .subtract(w.current().spentUsd())
                    .subtract(w.current().heldUsd())),
        true);
  }

  private static List<MultiGauge.Row<?>> rows(
      List<Budgets.WithPeriod> all, Function<Budgets.WithPeriod, BigDecimal> value) {
    return all.stream()
        .<MultiGauge.Row<?>>map(
            w ->
                MultiGauge.Row.of(
                    Tags.of(
                        "budget",
                        w.budget().name(),
                        "period",
                        w.budget().period().wire(),
                        "mode",
                        w.budget().mode().wire()),
                    Money.toDouble(value.apply(w))))
        .toList();
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String help) {
    return MultiGauge.builder(name).description(help).register(registry);
  }
}
