package dev.bulwark.budget.budgets;

import dev.bulwark.common.problem.NotFoundProblem;
import java.util.UUID;

/** No live or archived budget has this id. */
public class BudgetNotFound extends NotFoundProblem {

  public BudgetNotFound(UUID id) {
    super("budget-not-found", "no budget with id " + id);
  }
}
