package dev.bulwark.budget.store;

import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL for the append-only spend ledger and its sums. */
@ApplicationScoped
public class SpendStore {

  /** What a sum may be grouped by; the column is trusted SQL, never caller text. */
  public enum Dimension {
    CATEGORY("s.category"),
    TEAM("s.team"),
    OPERATION("s.operation"),
    BUDGET("b.budget_id::text"),
    DAY("(s.occurred_at AT TIME ZONE 'UTC')::date::text");

    final String sql;

    Dimension(String sql) {
      this.sql = sql;
    }
  }

  /** Filters and grouping of a spend query. */
  public record Query(
      Instant from,
      Instant to,
      List<Dimension> groupBy,
      String category,
      String team,
      UUID budgetId) {}

  /** One group of a spend query. */
  public record Sum(
      Map<String, String> group, BigDecimal amountUsd, BigDecimal overrunUsd, long entries) {}

  private final Pool pool;

  public SpendStore(Pool pool) {
    this.pool = pool;
  }

  /** Sums spend in {@code [from, to)}, grouped as asked. */
  public Uni<List<Sum>> sum(Query query) {
    List<String> columns = query.groupBy().stream().map(d -> d.sql).toList();
    boolean byBudget = query.groupBy().contains(Dimension.BUDGET) || query.budgetId() != null;
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(columns.get(i)).append(" AS g").append(i).append(", ");
    }
    sql.append(
        "sum(s.amount_usd) AS amount, sum(s.overrun_usd) AS overrun, count(*) AS entries FROM budget.spend s");
    if (byBudget) {
      // A commit counts once in each budget it was held in.
      sql.append(" CROSS JOIN LATERAL unnest(s.budget_ids) AS b(budget_id)");
    }
    sql.append(" WHERE s.occurred_at >= $1 AND s.occurred_at < $2");
    List<Object> params =
        new ArrayList<>(List.of(Timestamps.utc(query.from()), Timestamps.utc(query.to())));
    if (query.category() != null) {
      params.add(query.category());
      sql.append(" AND s.category = $").append(params.size());
    }
    if (query.team() != null) {
      params.add(query.team());
      sql.append(" AND s.team = $").append(params.size());
    }
    if (query.budgetId() != null) {
      params.add(query.budgetId());
      sql.append(" AND b.budget_id = $").append(params.size());
    }
    if (!columns.isEmpty()) {
      sql.append(" GROUP BY ");
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(i + 1);
      }
      sql.append(" ORDER BY ");
      for (int i = 0; i < columns.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(i + 1);
      }
    }
    return pool.preparedQuery(sql.toString())
        .execute(Tuple.from(params))
        .map(
            rows -> {
              List<Sum> sums = new ArrayList<>();
              rows.forEach(
                  row -> {
                    if (columns.isEmpty() && row.getLong("entries") == 0) {
                      return;
                    }
                    Map<String, String> group = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                      group.put(
                          query.groupBy().get(i).name().toLowerCase(), row.getString("g" + i));
                    }
                    sums.add(
                        new Sum(
                            group,
                            BudgetStore.usd(row, "amount"),
                            BudgetStore.usd(row, "overrun"),
                            row.getLong("entries")));
                  });
              return sums;
            });
  }
}
