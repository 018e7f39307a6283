package dev.bulwark.budget.budgets;

import dev.bulwark.common.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The counters of one budget in one period: what was spent, what is held, and the overruns. */
public record PeriodCounters(
    UUID budgetId,
    Instant periodStart,
    Instant periodEnd,
    BigDecimal spentUsd,
    BigDecimal heldUsd,
    BigDecimal overrunUsd,
    long overruns) {

  /** A period nothing touched yet: it has no row, and its counters are zero. */
  public static PeriodCounters empty(UUID budgetId, Instant periodStart) {
    return new PeriodCounters(budgetId, periodStart, null, Money.ZERO, Money.ZERO, Money.ZERO, 0);
  }
}
