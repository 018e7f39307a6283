package dev.bulwark.budget.budgets;

import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.store.BudgetSummaryStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * Reads what the gauges export: per-budget figures for the exported budgets (at most {@code
 * bulwark.budget.exported-limit}, the oldest first), aggregates for all the others.
 */
@ApplicationScoped
public class BudgetSummaries {

  private final BudgetSummaryStore store;
  private final BudgetConfig config;
  private final Clock clock;

  public BudgetSummaries(BudgetSummaryStore store, BudgetConfig config, Clock clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
  }

  public Uni<BudgetSummary> read() {
    Instant now = clock.instant();
    int limit = config.exportedLimit();
    return store
        .exported(limit, now)
        .chain(
            exported ->
                store
                    .others(limit, now)
                    .map(
                        others ->
                            new BudgetSummary(
                                exported.stream().map(b -> Budgets.withPeriod(b, now)).toList(),
                                others.stream().mapToLong(StateCount::exportedLeftOut).sum(),
                                others)));
  }
}
