package dev.bulwark.budget.api;

import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.budgets.PeriodCounters;
import dev.bulwark.common.money.Money;
import java.math.BigDecimal;
import java.time.Instant;

/** One period of a budget: its bounds and counters. */
public record PeriodView(
    Instant start,
    Instant end,
    BigDecimal limitUsd,
    BigDecimal spentUsd,
    BigDecimal heldUsd,
    BigDecimal remainingUsd,
    BigDecimal overrunUsd,
    long overruns,
    boolean softLimitCrossed) {

  static PeriodView of(Budget budget, PeriodCounters c) {
    BigDecimal used = c.spentUsd().add(c.heldUsd());
    Instant end =
        c.periodEnd() != null
            ? c.periodEnd()
            : budget.period().endOf(c.periodStart(), budget.timeZone());
    return new PeriodView(
        c.periodStart(),
        end,
        budget.limitUsd(),
        c.spentUsd(),
        c.heldUsd(),
        Money.exact(budget.limitUsd().subtract(used)),
        c.overrunUsd(),
        c.overruns(),
        used.compareTo(budget.softLimitUsd()) >= 0);
  }
}
