package dev.bulwark.common.problem;

import java.util.List;

/** 400: input that Bean Validation cannot express, such as a rule across two fields. */
public class InvalidRequestProblem extends ProblemException {

  public InvalidRequestProblem(String detail) {
    super(400, "invalid-request", "Invalid request", detail);
  }

  public InvalidRequestProblem(String field, String message) {
    super(
        400,
        "invalid-request",
        "Invalid request",
        field + ": " + message,
        List.of(new Problem.FieldError(field, message)));
  }
}
