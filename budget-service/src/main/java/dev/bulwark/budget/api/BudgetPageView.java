package dev.bulwark.budget.api;

import dev.bulwark.budget.budgets.BudgetCursor;
import dev.bulwark.budget.budgets.BudgetPage;
import java.util.List;

/**
 * One page of budgets in the listing order; {@code nextCursor} fetches the next page and is null on
 * the last one.
 */
public record BudgetPageView(List<BudgetView> budgets, String nextCursor) {

  static BudgetPageView of(BudgetPage page) {
    return new BudgetPageView(
        page.budgets().stream().map(BudgetView::of).toList(),
        page.next().map(BudgetCursor::encode).orElse(null));
  }
}
