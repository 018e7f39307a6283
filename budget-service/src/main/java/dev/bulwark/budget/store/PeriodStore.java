package dev.bulwark.budget.store;

import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.gate.PeriodKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.UUID;

/** SQL for the per-period counters the gate locks. */
@ApplicationScoped
public class PeriodStore {

  /** New counters to write back: key and values. */
  public record CounterUpdate(
      PeriodKey key, BigDecimal spent, BigDecimal held, BigDecimal overrun, long overruns) {}

  /**
   * Creates missing period rows, then locks all of them in key order, so two batches on any
   * replicas always queue on the same row first and never deadlock.
   */
  public Uni<Map<PeriodKey, PeriodCounters>> ensureAndLock(
      SqlClient tx, SortedSet<PeriodKey> keys, Map<UUID, Budget> budgets) {
    if (keys.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return ensure(tx, keys, budgets).chain(() -> lock(tx, keys, List.of()));
  }

  /** Creates the period rows that do not exist yet (in key order, like every lock we take). */
  public Uni<Void> ensure(SqlClient tx, SortedSet<PeriodKey> keys, Map<UUID, Budget> budgets) {
    if (keys.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery(
            """
            INSERT INTO budget.budget_period (budget_id, period_start, period_end)
            SELECT b, s, e FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS v(b, s, e)
             ORDER BY b, s
            ON CONFLICT DO NOTHING""")
        .execute(
            Tuple.of(
                budgetIds(keys),
                starts(keys),
                keys.stream()
                    .map(k -> endOf(k, budgets.get(k.budgetId())))
                    .toArray(OffsetDateTime[]::new)))
        .replaceWithVoid();
  }

  /**
   * Locks, in key order, the given periods and every period held by the given reservations, in one
   * statement, so that a batch needs no round trip to learn which periods its settlements touch.
   */
  public Uni<Map<PeriodKey, PeriodCounters>> lock(
      SqlClient tx, SortedSet<PeriodKey> keys, java.util.Collection<UUID> heldBy) {
    if (keys.isEmpty() && heldBy.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return tx.preparedQuery(
            "SELECT "
                + PeriodCounters.COLUMNS
                + " FROM budget.budget_period WHERE (budget_id, period_start) IN ("
                + " SELECT * FROM unnest($1::uuid[], $2::timestamptz[])"
                + " UNION SELECT budget_id, period_start FROM budget.reservation_hold WHERE reservation_id = ANY($3::uuid[]))"
                + " ORDER BY budget_id, period_start FOR UPDATE")
        .execute(Tuple.of(budgetIds(keys), starts(keys), heldBy.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<PeriodKey, PeriodCounters> locked = new HashMap<>();
              rows.forEach(
                  row -> {
                    PeriodCounters counters = PeriodCounters.from(row);
                    locked.put(
                        new PeriodKey(counters.budgetId(), counters.periodStart()), counters);
                  });
              return locked;
            });
  }

  public Uni<Void> write(SqlClient tx, List<CounterUpdate> updates) {
    if (updates.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery(
            """
            UPDATE budget.budget_period p
               SET spent_usd = v.spent, held_usd = v.held, overrun_usd = v.overrun, overruns = v.overruns
              FROM unnest($1::uuid[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::bigint[])
                   AS v(b, s, spent, held, overrun, overruns)
             WHERE p.budget_id = v.b AND p.period_start = v.s""")
        .execute(
            Tuple.from(
                new Object[] {
                  updates.stream().map(u -> u.key().budgetId()).toArray(UUID[]::new),
                  updates.stream()
                      .map(u -> BudgetStore.utc(u.key().periodStart()))
                      .toArray(OffsetDateTime[]::new),
                  updates.stream().map(CounterUpdate::spent).toArray(BigDecimal[]::new),
                  updates.stream().map(CounterUpdate::held).toArray(BigDecimal[]::new),
                  updates.stream().map(CounterUpdate::overrun).toArray(BigDecimal[]::new),
                  updates.stream().map(CounterUpdate::overruns).toArray(Long[]::new)
                }))
        .replaceWithVoid();
  }

  private static UUID[] budgetIds(SortedSet<PeriodKey> keys) {
    return keys.stream().map(PeriodKey::budgetId).toArray(UUID[]::new);
  }

  private static OffsetDateTime[] starts(SortedSet<PeriodKey> keys) {
    return keys.stream().map(k -> BudgetStore.utc(k.periodStart())).toArray(OffsetDateTime[]::new);
  }

  private static OffsetDateTime endOf(PeriodKey key, Budget budget) {
    // A hold in a period of a budget that was archived meanwhile: its row exists already.
    return budget == null
        ? null
        : BudgetStore.utc(budget.period().endOf(key.periodStart(), budget.timeZone()));
  }
}
