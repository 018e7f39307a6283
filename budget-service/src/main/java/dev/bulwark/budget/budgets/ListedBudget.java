package dev.bulwark.budget.budgets;

import java.util.Optional;

/**
 * A budget as a listing reads it: with its current period's counters when that period has a row.
 */
public record ListedBudget(Budget budget, Optional<PeriodCounters> current) {}
