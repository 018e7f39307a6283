package dev.bulwark.metrics.email;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** The email stats' typed refusals of a query, each naming the parameter to fix. */
public final class EmailStatsProblems {

  private EmailStatsProblems() {}

  /** {@code window} is not one the service computes. */
  public static class UnknownWindow extends InvalidRequestProblem {
    public UnknownWindow(String given) {
      super("window", "must be 1h, 24h or 7d, not '" + given + "'");
    }
  }

  /** {@code sort} names no ranking. */
  public static class UnknownSort extends InvalidRequestProblem {
    public UnknownSort(String given) {
      super("sort", "must be bounces, hardBounces or complaints, not '" + given + "'");
    }
  }

  /** {@code limit} is not a whole number in range. */
  public static class LimitOutOfRange extends InvalidRequestProblem {
    public LimitOutOfRange(String given, int max) {
      super("limit", "must be a whole number from 1 to " + max + ", not '" + given + "'");
    }
  }

  /** {@code cursor} is not a nextCursor this service issued. */
  public static class InvalidCursor extends InvalidRequestProblem {
    public InvalidCursor() {
      super("cursor", "is not a nextCursor from this endpoint; start again without a cursor");
    }
  }

  /** {@code cursor} belongs to another ranking or window than the one asked for. */
  public static class CursorMismatch extends InvalidRequestProblem {
    public CursorMismatch(String parameter, String cursorValue) {
      super(
          "cursor",
          "was issued for "
              + parameter
              + "="
              + cursorValue
              + "; repeat that "
              + parameter
              + " or leave it out with a cursor");
    }
  }
}
