package dev.bulwark.budget.api;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** A path or query parameter that does not parse; the problem names it and shows the form. */
public class InvalidParameter extends InvalidRequestProblem {

  public InvalidParameter(String name, String value, String expected) {
    super(name, "'" + value + "' is not " + expected);
  }
}
