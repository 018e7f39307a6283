package dev.bulwark.budget.store;

import dev.bulwark.budget.budgets.BudgetQuery;
import dev.bulwark.budget.budgets.BudgetState;
import dev.bulwark.budget.budgets.ListedBudget;
import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL of the budget listing: a page of budgets in keyset order with their current period's
 * counters, by index ({@code budget_name_c_id}, {@code budget_scope}), never by OFFSET.
 */
@ApplicationScoped
public class BudgetListStore {

  /**
   * Budgets {@code b} joined to the counters {@code p} of their period that contains $1 (a budget
   * whose period has no row yet has none).
   */
  static final String WITH_CURRENT_PERIOD =
      """
      FROM budget.budget b
      LEFT JOIN budget.budget_period p
        ON p.budget_id = b.id AND p.period_start = budget.period_start(b.period, b.time_zone, $1)""";

  /**
   * The state of {@code b}'s current period, as {@link BudgetState#wire()}: the soft limit is
   * rounded as the gate rounds it.
   */
  static final String STATE =
      """
      CASE WHEN COALESCE(p.spent_usd, 0) + COALESCE(p.held_usd, 0) >= b.limit_usd THEN 'at-limit'
           WHEN COALESCE(p.spent_usd, 0) + COALESCE(p.held_usd, 0)
                  >= round(b.limit_usd * b.soft_ratio, 6) THEN 'soft-limit-crossed'
           ELSE 'under' END""";

  static final String SELECTED =
      "b.id, b.name, b.scope, b.period, b.time_zone, b.limit_usd, b.soft_ratio, b.mode,"
          + " b.exported, b.created_at, b.updated_at, b.archived_at, p.budget_id, p.period_start,"
          + " p.period_end, p.spent_usd, p.held_usd, p.overrun_usd, p.overruns";

  private final Pool pool;

  public BudgetListStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Up to {@link KeysetPage#rowsToRead} budgets of the query, from its cursor on, in the listing
   * order (one more than the page, to tell whether a next page exists). Only the filters given
   * become conditions, so that each combination gets a plan that uses its index.
   */
  public Uni<List<ListedBudget>> page(BudgetQuery query, Instant now) {
    Statement statement = statement(query, now);
    return pool.preparedQuery(statement.sql())
        .execute(Tuple.from(statement.params()))
        .map(rows -> BudgetStore.all(rows, BudgetListStore::listed));
  }

  /** A statement's text and its positional parameters. */
  record Statement(String sql, List<Object> params) {}

  /** The statement of {@link #page}: package-private so that a test can check its plan. */
  static Statement statement(BudgetQuery query, Instant now) {
    List<Object> params = new ArrayList<>();
    params.add(Timestamps.utc(now));
    List<String> where = new ArrayList<>();
    if (!query.includeArchived()) {
      where.add("b.archived_at IS NULL");
    }
    query
        .namePrefix()
        .ifPresent(
            prefix -> {
              where.add("b.name COLLATE \"C\" >= " + param(params, prefix));
              where.add(
                  "b.name COLLATE \"C\" < " + param(params, query.namePrefixEnd().orElseThrow()));
            });
    if (query.scopeValue().isPresent()) {
      JsonObject pair =
          new JsonObject().put(query.scopeKey().orElseThrow(), query.scopeValue().get());
      where.add("b.scope @> " + param(params, pair) + "::jsonb");
    } else {
      query.scopeKey().ifPresent(key -> where.add("b.scope ? " + param(params, key)));
    }
    query.mode().ifPresent(mode -> where.add("b.mode = " + param(params, mode.wire())));
    query.period().ifPresent(period -> where.add("b.period = " + param(params, period.wire())));
    query.exported().ifPresent(exported -> where.add("b.exported = " + param(params, exported)));
    if (!query.states().isEmpty()) {
      String[] states = query.states().stream().map(BudgetState::wire).toArray(String[]::new);
      where.add("(" + STATE + ") = ANY(" + param(params, states) + "::text[])");
    }
    query
        .after()
        .ifPresent(
            c ->
                where.add(
                    "(b.name COLLATE \"C\", b.id) > ("
                        + param(params, c.name())
                        + "::text COLLATE \"C\", "
                        + param(params, c.id())
                        + "::uuid)"));
    String sql =
        "SELECT "
            + SELECTED
            + "\n"
            + WITH_CURRENT_PERIOD
            + (where.isEmpty() ? "" : "\nWHERE " + String.join("\n  AND ", where))
            + "\nORDER BY b.name COLLATE \"C\", b.id\nLIMIT "
            + param(params, KeysetPage.rowsToRead(query.limit()));
    return new Statement(sql, params);
  }

  /** Adds a positional parameter and returns its placeholder: values never enter the SQL text. */
  private static String param(List<Object> params, Object value) {
    params.add(value);
    return "$" + params.size();
  }

  static ListedBudget listed(Row row) {
    return new ListedBudget(
        BudgetStore.budget(row),
        row.getUUID("budget_id") == null
            ? Optional.empty()
            : Optional.of(BudgetStore.counters(row)));
  }
}
