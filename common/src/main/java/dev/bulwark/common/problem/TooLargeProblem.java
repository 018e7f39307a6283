package dev.bulwark.common.problem;

/** 413: a batch over its size limit; the caller should split it. */
public class TooLargeProblem extends ProblemException {

  public TooLargeProblem(String field, int size, int limit) {
    super(
        413,
        "too-large",
        "Batch too large",
        field + ": " + size + " items, at most " + limit + " per request; split the batch");
  }
}
