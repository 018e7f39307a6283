package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.problem.ProblemException;
import dev.bulwark.common.problem.TooLargeProblem;

/** The errors of a batch of pages, each naming the page at fault; nothing of it is stored. */
public final class PageBatchProblems {

  private PageBatchProblems() {}

  /** 400: a batch without pages. */
  public static class EmptyBatch extends InvalidRequestProblem {
    public EmptyBatch() {
      super("pages", "is required and not empty: {\"pages\": [{\"url\": ..., \"body\": ...}]}");
    }
  }

  /** 413: more pages than {@code max-batch-pages}. */
  public static class BatchTooLarge extends TooLargeProblem {
    public BatchTooLarge(int size, int limit) {
      super("pages", size, limit);
    }
  }

  /** 400: one page of the batch is malformed; its field is named with the page's index. */
  public static class InvalidBatchPage extends InvalidRequestProblem {
    public InvalidBatchPage(int index, String field, String message) {
      super(
          "pages[" + index + "]" + (field.isEmpty() ? "" : "." + field),
          message + "; nothing of the batch was stored");
    }
  }

  /** 400: the same URL and fetch time twice in one batch with other content. */
  public static class RepeatedFetch extends InvalidRequestProblem {
    public RepeatedFetch(int index, int first) {
      super(
          "pages[" + index + "]",
          "has the URL and fetchedAt of pages["
              + first
              + "] with other content; a fetch is archived once, nothing of the batch was stored");
    }
  }

  /**
   * The problem a page's own check threw, renamed to its place in the batch: a field error gets the
   * prefix {@code pages[i].}, a too-large page says which.
   */
  public static ProblemException at(int index, ProblemException problem, long limit) {
    if (problem instanceof PageTooLarge) {
      return new PageTooLarge("pages[" + index + "], as sent or decoded,", limit);
    }
    if (!problem.errors().isEmpty()) {
      var error = problem.errors().get(0);
      return new InvalidBatchPage(index, error.field(), error.message());
    }
    return problem;
  }
}
