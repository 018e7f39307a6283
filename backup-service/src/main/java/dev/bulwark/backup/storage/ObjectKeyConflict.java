package dev.bulwark.backup.storage;

import dev.bulwark.common.problem.ConflictProblem;

/**
 * 409: on {@code file://} a key cannot name an object and also be the directory of other keys
 * ({@code a} beside {@code a/b}); keys are to be laid out so that this never happens.
 */
public class ObjectKeyConflict extends ConflictProblem {

  public ObjectKeyConflict(ObjectKey key, String clash) {
    super("object-key-conflict", "cannot store '" + key + "': " + clash);
  }
}
