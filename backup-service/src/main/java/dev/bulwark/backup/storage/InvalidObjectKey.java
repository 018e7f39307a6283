package dev.bulwark.backup.storage;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** 400: an object key or listing prefix that {@link ObjectKey} does not accept. */
public class InvalidObjectKey extends InvalidRequestProblem {

  public InvalidObjectKey(String field, String value, String problem) {
    super(field, "'" + value + "' is not a valid object key: " + problem);
  }
}
