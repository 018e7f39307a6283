package dev.bulwark.common.problem;

/** 503: a dependency (the database, object storage, another service) cannot be reached now. */
public class UnavailableProblem extends ProblemException {

  public UnavailableProblem(String slug, String detail) {
    super(503, slug, "Service unavailable", detail);
  }
}
