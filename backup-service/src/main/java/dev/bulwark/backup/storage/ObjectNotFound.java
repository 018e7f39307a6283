package dev.bulwark.backup.storage;

import dev.bulwark.common.problem.NotFoundProblem;

/** 404: no object is stored under the key (or it is still being written). */
public class ObjectNotFound extends NotFoundProblem {

  public ObjectNotFound(ObjectKey key) {
    super("object-not-found", "no object is stored under '" + key + "'");
  }
}
