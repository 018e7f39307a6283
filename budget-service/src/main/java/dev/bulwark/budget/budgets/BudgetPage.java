package dev.bulwark.budget.budgets;

import java.util.List;
import java.util.Optional;

/** One page of the budget listing, and where the next starts when there is one. */
public record BudgetPage(List<Budgets.WithPeriod> budgets, Optional<BudgetCursor> next) {

  public BudgetPage {
    budgets = List.copyOf(budgets);
  }
}
