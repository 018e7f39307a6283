package dev.bulwark.common.problem;

/** 404: the named resource does not exist (or is not visible to the caller). */
public class NotFoundProblem extends ProblemException {

  public NotFoundProblem(String slug, String detail) {
    super(404, slug, "Not found", detail);
  }
}
