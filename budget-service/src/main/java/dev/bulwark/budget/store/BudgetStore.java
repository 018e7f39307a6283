package dev.bulwark.budget.store;

import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.budgets.PeriodKind;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for budgets and their period counters. */
@ApplicationScoped
public class BudgetStore {

  static final String COLUMNS =
      "id, name, scope, period, time_zone, limit_usd, soft_ratio, mode, created_at, updated_at,"
          + " archived_at";

  private final Pool pool;

  public BudgetStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a budget; fails with a unique violation if a live budget has the name. */
  public Uni<Budget> insert(SqlClient client, Budget b) {
    return client
        .preparedQuery(
            """
            INSERT INTO budget.budget (id, name, scope, period, time_zone, limit_usd, soft_ratio, mode)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            RETURNING %s"""
                .formatted(COLUMNS))
        .execute(definition(b))
        .map(rows -> from(rows.iterator().next()));
  }

  public Uni<Budget> insert(Budget b) {
    return insert(pool, b);
  }

  /** Replaces a live budget's definition; empty if it is missing or archived. */
  public Uni<Optional<Budget>> update(Budget b) {
    return pool.preparedQuery(
            """
            UPDATE budget.budget
               SET name = $2, scope = $3, period = $4, time_zone = $5, limit_usd = $6,
                   soft_ratio = $7, mode = $8, updated_at = now()
             WHERE id = $1 AND archived_at IS NULL
            RETURNING %s"""
                .formatted(COLUMNS))
        .execute(definition(b))
        .map(BudgetStore::firstBudget);
  }

  /** Archives a live budget; returns it, or empty if there was no live budget with this id. */
  public Uni<Optional<Budget>> archive(UUID id) {
    return pool.preparedQuery(
            "UPDATE budget.budget SET archived_at = now(), updated_at = now()"
                + " WHERE id = $1 AND archived_at IS NULL RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id))
        .map(BudgetStore::firstBudget);
  }

  public Uni<Optional<Budget>> find(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM budget.budget WHERE id = $1")
        .execute(Tuple.of(id))
        .map(BudgetStore::firstBudget);
  }

  public Uni<List<Budget>> list(boolean includeArchived) {
    return live(pool, includeArchived);
  }

  /** Live budgets (and archived ones if asked), by name. */
  public Uni<List<Budget>> live(SqlClient client, boolean includeArchived) {
    return client
        .query(
            "SELECT "
                + COLUMNS
                + " FROM budget.budget"
                + (includeArchived ? "" : " WHERE archived_at IS NULL")
                + " ORDER BY name, created_at")
        .execute()
        .map(
            rows -> {
              List<Budget> list = new ArrayList<>();
              rows.forEach(row -> list.add(from(row)));
              return list;
            });
  }

  public Uni<Boolean> anyExists() {
    return pool.query("SELECT EXISTS (SELECT 1 FROM budget.budget)")
        .execute()
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** The counters of one budget's period, or zeros if nothing touched it yet. */
  public Uni<PeriodCounters> counters(UUID budgetId, Instant periodStart) {
    return pool.preparedQuery(
            "SELECT "
                + PeriodCounters.COLUMNS
                + " FROM budget.budget_period WHERE budget_id = $1 AND period_start = $2")
        .execute(Tuple.of(budgetId, Timestamps.utc(periodStart)))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? PeriodCounters.empty(budgetId, periodStart)
                    : PeriodCounters.from(rows.iterator().next()));
  }

  /** Past and current periods of a budget, newest first. */
  public Uni<List<PeriodCounters>> history(UUID budgetId, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + PeriodCounters.COLUMNS
                + " FROM budget.budget_period WHERE budget_id = $1 ORDER BY period_start DESC LIMIT $2")
        .execute(Tuple.of(budgetId, limit))
        .map(
            rows -> {
              List<PeriodCounters> list = new ArrayList<>();
              rows.forEach(row -> list.add(PeriodCounters.from(row)));
              return list;
            });
  }

  /** Current-period counters of every live budget, for the gauges. */
  public Uni<List<PeriodCounters>> currentCounters(List<Budget> budgets, Instant now) {
    UUID[] ids = budgets.stream().map(Budget::id).toArray(UUID[]::new);
    OffsetDateTime[] starts =
        budgets.stream()
            .map(b -> Timestamps.utc(b.currentPeriodStart(now)))
            .toArray(OffsetDateTime[]::new);
    return pool.preparedQuery(
            "SELECT "
                + PeriodCounters.COLUMNS
                + " FROM budget.budget_period"
                + " WHERE (budget_id, period_start) IN (SELECT * FROM unnest($1::uuid[], $2::timestamptz[]))")
        .execute(Tuple.of(ids, starts))
        .map(
            rows -> {
              List<PeriodCounters> list = new ArrayList<>();
              rows.forEach(row -> list.add(PeriodCounters.from(row)));
              return list;
            });
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

  private static Optional<Budget> firstBudget(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    return rows.rowCount() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next()));
  }

  static Budget from(Row row) {
    return new Budget(
        row.getUUID("id"),
        row.getString("name"),
        Json.toMap(row.getJsonObject("scope")),
        PeriodKind.fromWire(row.getString("period")),
        ZoneId.of(row.getString("time_zone")),
        row.getBigDecimal("limit_usd"),
        row.getBigDecimal("soft_ratio"),
        Mode.fromWire(row.getString("mode")),
        Timestamps.instant(row.getOffsetDateTime("created_at")),
        Timestamps.instant(row.getOffsetDateTime("updated_at")),
        Timestamps.instant(row.getOffsetDateTime("archived_at")));
  }

  /** Money read back from NUMERIC keeps its scale; zero-pad for stable output. */
  static BigDecimal usd(Row row, String column) {
    BigDecimal value = row.getBigDecimal(column);
    return value == null ? null : dev.bulwark.common.money.Money.rounded(value);
  }
}
