package dev.bulwark.budget.store;

import dev.bulwark.budget.budgets.BudgetState;
import dev.bulwark.budget.budgets.ListedBudget;
import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.budgets.PeriodKind;
import dev.bulwark.budget.budgets.StateCount;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * SQL of what the gauges export: the first exported live budgets with their current counters, and
 * the other live budgets counted by state, mode and period in one aggregate query.
 */
@ApplicationScoped
public class BudgetSummaryStore {

  /**
   * The exported live budgets that get gauges: the first {@code $2} by creation, so that one
   * exported later never takes the gauges (and alerts) of one exported before it.
   */
  private static final String SHOWN =
      """
      SELECT id FROM budget.budget
       WHERE exported AND archived_at IS NULL
       ORDER BY created_at, id
       LIMIT $2""";

  private final Pool pool;

  public BudgetSummaryStore(Pool pool) {
    this.pool = pool;
  }

  /** The first {@code limit} exported live budgets by creation, with their current counters. */
  public Uni<List<ListedBudget>> exported(int limit, Instant now) {
    return pool.preparedQuery(
            "SELECT "
                + BudgetListStore.SELECTED
                + "\n"
                + BudgetListStore.WITH_CURRENT_PERIOD
                + "\nWHERE b.exported AND b.archived_at IS NULL"
                + "\nORDER BY b.created_at, b.id LIMIT $2")
        .execute(Tuple.of(Timestamps.utc(now), limit))
        .map(rows -> BudgetStore.all(rows, BudgetListStore::listed));
  }

  /**
   * The live budgets other than the first {@code exportedLimit} exported ones, counted by state,
   * mode and period (only the groups that have budgets), with how many of them are exported ones
   * the limit left out.
   */
  public Uni<List<StateCount>> others(int exportedLimit, Instant now) {
    return pool.preparedQuery(
            "WITH shown AS ("
                + SHOWN
                + ")\nSELECT "
                + BudgetListStore.STATE
                + " AS state, b.mode, b.period, count(*) AS budgets,"
                + " count(*) FILTER (WHERE b.exported) AS left_out,"
                + " max((COALESCE(p.spent_usd, 0) + COALESCE(p.held_usd, 0)) / b.limit_usd)"
                + " AS max_utilisation\n"
                + BudgetListStore.WITH_CURRENT_PERIOD
                + "\nWHERE b.archived_at IS NULL AND b.id NOT IN (SELECT id FROM shown)"
                + "\nGROUP BY 1, 2, 3")
        .execute(Tuple.of(Timestamps.utc(now), exportedLimit))
        .map(
            rows ->
                BudgetStore.all(
                    rows,
                    row ->
                        new StateCount(
                            BudgetState.named(row.getString("state")).orElseThrow(),
                            Mode.fromWire(row.getString("mode")),
                            PeriodKind.fromWire(row.getString("period")),
                            row.getLong("budgets"),
                            row.getLong("left_out"),
                            row.getBigDecimal("max_utilisation"))));
  }
}
