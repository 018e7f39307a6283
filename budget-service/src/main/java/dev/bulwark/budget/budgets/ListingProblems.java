package dev.bulwark.budget.budgets;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** The budget listing's typed refusals of a query, each naming the parameter to fix. */
public final class ListingProblems {

  private ListingProblems() {}

  /** {@code cursor} is not a nextCursor this endpoint issued. */
  public static class InvalidCursor extends InvalidRequestProblem {
    public InvalidCursor() {
      super("cursor", "is not a nextCursor of this listing; start again without a cursor");
    }
  }

  /** {@code cursor} was issued for other filters than the ones given. */
  public static class CursorForOtherFilters extends InvalidRequestProblem {
    public CursorForOtherFilters() {
      super(
          "cursor",
          "was issued for other filters; repeat the first page's filters with it (the Link"
              + " header's next URL does), or start again without a cursor");
    }
  }

  /** {@code scopeValue} without the {@code scopeKey} it belongs to. */
  public static class ScopeValueWithoutKey extends InvalidRequestProblem {
    public ScopeValueWithoutKey() {
      super("scopeValue", "needs scopeKey, the key whose value it is");
    }
  }
}
