package dev.bulwark.budget.gate;

import java.time.Instant;
import java.util.UUID;

/** Identifies one budget's counters in one period. */
public record PeriodKey(UUID budgetId, Instant periodStart) implements Comparable<PeriodKey> {

  @Override
  public int compareTo(PeriodKey other) {
    int byBudget = budgetId.compareTo(other.budgetId);
    return byBudget != 0 ? byBudget : periodStart.compareTo(other.periodStart);
  }
}
