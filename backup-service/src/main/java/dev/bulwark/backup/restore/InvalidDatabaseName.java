package dev.bulwark.backup.restore;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** 400: the database to restore into is not a name this service restores into. */
public class InvalidDatabaseName extends InvalidRequestProblem {

  public InvalidDatabaseName(String reason) {
    super("database", reason);
  }
}
