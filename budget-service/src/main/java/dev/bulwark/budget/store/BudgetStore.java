package dev.bulwark.budget.store;

import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.budgets.PeriodCounters;
import dev.bulwark.budget.budgets.PeriodKind;
import dev.bulwark.common.money.Money;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for budgets and their period counters. Times come from the caller (the service's clock),
 * never from the database's {@code now()}, so that a pinned clock pins them too.
 */
@ApplicationScoped
public class BudgetStore {

  /** SQLSTATE of a second live budget with the same name (unique_violation). */
  public static final String NAME_TAKEN = "23505";

  static final String COLUMNS =
      "id, name, scope, period, time_zone, limit_usd, soft_ratio, mode, exported, created_at,"
          + " updated_at, archived_at";

  static final String COUNTER_COLUMNS =
      "budget_id, period_start, period_end, spent_usd, held_usd, overrun_usd, overruns";

  private final Pool pool;

  public BudgetStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a budget created at {@code at}; fails with {@link #NAME_TAKEN} on a name clash. */
  public Uni<Budget> insert(Budget b, Instant at) {
    return insert(pool, b, at);
  }

  private static Uni<Budget> insert(SqlClient client, Budget b, Instant at) {
    return client
        .preparedQuery(
            """
            INSERT INTO budget.budget (id, name, scope, period, time_zone, limit_usd, soft_ratio, mode,
                                       exported, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
            RETURNING %s"""
                .formatted(COLUMNS))
        .execute(definition(b).addValue(b.exported()).addValue(Timestamps.utc(at)))
        .map(rows -> budget(rows.iterator().next()));
  }

  /**
   * Inserts {@code budgets} only while no budget exists at all, under a transaction-scoped advisory
   * lock, so that replicas starting together seed once; returns how many it inserted.
   */
  public Uni<Integer> insertIntoEmpty(List<Budget> budgets, Instant at) {
    return pool.withTransaction(
        tx ->
            tx.query("SELECT pg_advisory_xact_lock(hashtextextended('bulwark-budget-seed', 7))")
                .execute()
                .chain(() -> tx.query("SELECT EXISTS (SELECT 1 FROM budget.budget)").execute())
                .chain(
                    rows -> {
                      if (rows.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(0);
                      }
                      Uni<Integer> chain = Uni.createFrom().item(0);
                      for (Budget budget : budgets) {
                        chain = chain.chain(n -> insert(tx, budget, at).replaceWith(n + 1));
                      }
                      return chain;
                    }));
  }

  /**
   * Replaces a live budget's definition at {@code at}, and its exported flag when one is given;
   * empty if it is missing or archived.
   */
  public Uni<Optional<Budget>> update(Budget b, Optional<Boolean> exported, Instant at) {
    return pool.preparedQuery(
            """
            UPDATE budget.budget
               SET name = $2, scope = $3, period = $4, time_zone = $5, limit_usd = $6,
                   soft_ratio = $7, mode = $8, exported = COALESCE($9, exported), updated_at = $10
             WHERE id = $1 AND archived_at IS NULL
            RETURNING %s"""
                .formatted(COLUMNS))
        .execute(definition(b).addValue(exported.orElse(null)).addValue(Timestamps.utc(at)))
        .map(BudgetStore::firstBudget);
  }

  /** Archives a live budget at {@code at}; empty if there was no live budget with this id. */
  public Uni<Optional<Budget>> archive(UUID id, Instant at) {
    return pool.preparedQuery(
            "UPDATE budget.budget SET archived_at = $2, updated_at = $2"
                + " WHERE id = $1 AND archived_at IS NULL RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, Timestamps.utc(at)))
        .map(BudgetStore::firstBudget);
  }

  public Uni<Optional<Budget>> find(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM budget.budget WHERE id = $1")
        .execute(Tuple.of(id))
        .map(BudgetStore::firstBudget);
  }

  /** The counters of one budget's period; empty if nothing touched it yet. */
  public Uni<Optional<PeriodCounters>> counters(UUID budgetId, Instant periodStart) {
    return pool.preparedQuery(
            "SELECT "
                + COUNTER_COLUMNS
                + " FROM budget.budget_period WHERE budget_id = $1 AND period_start = $2")
        .execute(Tuple.of(budgetId, Timestamps.utc(periodStart)))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.empty()
                    : Optional.of(counters(rows.iterator().next())));
  }

  /** Past and current periods of a budget, newest first. */
  public Uni<List<PeriodCounters>> history(UUID budgetId, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + COUNTER_COLUMNS
                + " FROM budget.budget_period WHERE budget_id = $1 ORDER BY period_start DESC LIMIT $2")
        .execute(Tuple.of(budgetId, limit))
        .map(rows -> all(rows, BudgetStore::counters));
  }

  /** $1..$8 of insert and update: the budget's definition. */
  private static Tuple definition(Budget b) {
    return Tuple.from(
        List.of(
            b.id(),
            b.name(),
            Json.of(b.scope()),
            b.period().wire(),
            b.timeZone().getId(),
            b.limitUsd(),
            b.softRatio(),
            b.mode().wire()));
  }

  static <T> List<T> all(RowSet<Row> rows, java.util.function.Function<Row, T> from) {
    List<T> list = new ArrayList<>();
    rows.forEach(row -> list.add(from.apply(row)));
    return list;
  }

  private static Optional<Budget> firstBudget(RowSet<Row> rows) {
    return rows.rowCount() == 0 ? Optional.empty() : Optional.of(budget(rows.iterator().next()));
  }

  static Budget budget(Row row) {
    return new Budget(
        row.getUUID("id"),
        row.getString("name"),
        Json.toMap(row.getJsonObject("scope")),
        PeriodKind.fromWire(row.getString("period")),
        ZoneId.of(row.getString("time_zone")),
        row.getBigDecimal("limit_usd"),
        row.getBigDecimal("soft_ratio"),
        Mode.fromWire(row.getString("mode")),
        row.getBoolean("exported"),
        Timestamps.instant(row.getOffsetDateTime("created_at")),
        Timestamps.instant(row.getOffsetDateTime("updated_at")),
        Timestamps.instant(row.getOffsetDateTime("archived_at")));
  }

  static PeriodCounters counters(Row row) {
    return new PeriodCounters(
        row.getUUID("budget_id"),
        Timestamps.instant(row.getOffsetDateTime("period_start")),
        Timestamps.instant(row.getOffsetDateTime("period_end")),
        usd(row, "spent_usd"),
        usd(row, "held_usd"),
        usd(row, "overrun_usd"),
        row.getLong("overruns"));
  }

  /** Money read back from NUMERIC keeps its scale; zero-pad for stable output. */
  static BigDecimal usd(Row row, String column) {
    BigDecimal value = row.getBigDecimal(column);
    return value == null ? null : Money.rounded(value);
  }
}
