package dev.bulwark.common.problem;

/** A path or query parameter that does not parse; the problem names it and shows the form. */
public class InvalidParameter extends InvalidRequestProblem {

  public InvalidParameter(String name, String value, String expected) {
    super(name, "'" + value + "' is not " + expected);
  }
}
