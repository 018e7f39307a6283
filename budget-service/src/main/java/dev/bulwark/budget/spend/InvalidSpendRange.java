package dev.bulwark.budget.spend;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** A spend range that is empty, reversed or longer than the ledger may be summed over at once. */
public class InvalidSpendRange extends InvalidRequestProblem {

  public InvalidSpendRange(String message) {
    super("from", message);
  }
}
