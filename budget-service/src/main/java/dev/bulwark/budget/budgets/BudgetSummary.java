package dev.bulwark.budget.budgets;

import java.util.List;

/**
 * What budget-service exports about its budgets: the first exported budgets (oldest first, up to
 * the configured limit) with their figures, how many exported budgets the limit left out, and
 * counts of all the others by state, mode and period.
 */
public record BudgetSummary(
    List<Budgets.WithPeriod> exported, long exportedLeftOut, List<StateCount> others) {

  public BudgetSummary {
    exported = List.copyOf(exported);
    others = List.copyOf(others);
  }
}
