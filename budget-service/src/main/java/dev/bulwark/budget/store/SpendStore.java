package dev.bulwark.budget.store;

import dev.bulwark.budget.spend.Dimension;
import dev.bulwark.budget.spend.SpendGroup;
import dev.bulwark.budget.spend.SpendQuery;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL for the append-only spend ledger and its sums. */
@ApplicationScoped
public class SpendStore {

  private final Pool pool;

  public SpendStore(Pool pool) {
    this.pool = pool;
  }

  /** The column a dimension groups by: trusted SQL, never caller text. */
  private static String column(Dimension dimension) {
    return switch (dimension) {
      case CATEGORY -> "s.category";
      case TEAM -> "s.team";
      case OPERATION -> "s.operation";
      case BUDGET -> "b.budget_id::text";
      case DAY -> "(s.occurred_at AT TIME ZONE 'UTC')::date::text";
      case KIND -> "s.kind";
    };
  }

  /** Sums spend in {@code [from, to)}, grouped as asked; no groups when nothing was spent. */
  public Uni<List<SpendGroup>> sum(SpendQuery query) {
    List<String> columns = query.groupBy().stream().map(SpendStore::column).toList();
    boolean byBudget = query.groupBy().contains(Dimension.BUDGET) || query.budgetId().isPresent();
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(columns.get(i)).append(" AS g").append(i).append(", ");
    }
    sql.append(
        "sum(s.amount_usd) AS amount, sum(s.overrun_usd) AS overrun,"
            + " coalesce(sum(s.amount_usd) FILTER (WHERE s.kind = 'late'), 0) AS late,"
            + " coalesce(sum(s.amount_usd) FILTER (WHERE s.kind = 'ungated'), 0) AS ungated,"
            + " count(*) AS entries FROM budget.spend s");
    if (byBudget) {
      // A commit counts once in each budget it was held in.
      sql.append(" CROSS JOIN LATERAL unnest(s.budget_ids) AS b(budget_id)");
    }
    sql.append(" WHERE s.occurred_at >= $1 AND s.occurred_at < $2");
    List<Object> params =
        new ArrayList<>(List.of(Timestamps.utc(query.from()), Timestamps.utc(query.to())));
    if (query.category().isPresent()) {
      params.add(query.category().get());
      sql.append(" AND s.category = $").append(params.size());
    }
    if (query.team().isPresent()) {
      params.add(query.team().get());
      sql.append(" AND s.team = $").append(params.size());
    }
    if (query.budgetId().isPresent()) {
      params.add(query.budgetId().get());
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
              List<SpendGroup> groups = new ArrayList<>();
              rows.forEach(
                  row -> {
                    if (columns.isEmpty() && row.getLong("entries") == 0) {
                      return;
                    }
                    Map<String, String> group = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                      group.put(query.groupBy().get(i).wire(), row.getString("g" + i));
                    }
                    groups.add(
                        new SpendGroup(
                            group,
                            BudgetStore.usd(row, "amount"),
                            BudgetStore.usd(row, "overrun"),
                            BudgetStore.usd(row, "late"),
                            BudgetStore.usd(row, "ungated"),
                            row.getLong("entries")));
                  });
              return groups;
            });
  }
}
