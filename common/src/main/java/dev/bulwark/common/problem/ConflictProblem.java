package dev.bulwark.common.problem;

/** 409: the request is valid but clashes with the resource's current state. */
public class ConflictProblem extends ProblemException {

  public ConflictProblem(String slug, String detail) {
    super(409, slug, "Conflict", detail);
  }
}
