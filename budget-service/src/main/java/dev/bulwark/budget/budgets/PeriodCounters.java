package dev.bulwark.budget.store;

import dev.bulwark.common.money.Money;
import dev.bulwark.common.time.Timestamps;
import io.vertx.mutiny.sqlclient.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The counters of one budget in one period, as stored in {@code budget_period}. */
public record PeriodCounters(
    UUID budgetId,
    Instant periodStart,
    Instant periodEnd,
    BigDecimal spentUsd,
    BigDecimal heldUsd,
    BigDecimal overrunUsd,
    long overruns) {

  static final String COLUMNS =
      "budget_id, period_start, period_end, spent_usd, held_usd, overrun_usd, overruns";

  public static PeriodCounters empty(UUID budgetId, Instant periodStart) {
    return new PeriodCounters(budgetId, periodStart, null, Money.ZERO, Money.ZERO, Money.ZERO, 0);
  }

  static PeriodCounters from(Row row) {
    return new PeriodCounters(
        row.getUUID("budget_id"),
        Timestamps.instant(row.getOffsetDateTime("period_start")),
        Timestamps.instant(row.getOffsetDateTime("period_end")),
        BudgetStore.usd(row, "spent_usd"),
        BudgetStore.usd(row, "held_usd"),
        BudgetStore.usd(row, "overrun_usd"),
        row.getLong("overruns"));
  }
}
