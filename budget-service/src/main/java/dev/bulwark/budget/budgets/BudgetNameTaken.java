package dev.bulwark.budget.budgets;

import dev.bulwark.common.problem.ConflictProblem;

/** Another live budget already has this name. */
public class BudgetNameTaken extends ConflictProblem {

  public BudgetNameTaken(String name) {
    super(
        "budget-name-taken",
        "a live budget named '" + name + "' already exists; pick another name or archive it first");
  }
}
