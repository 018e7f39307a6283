package dev.bulwark.backup.restore;

import dev.bulwark.common.problem.ConflictProblem;

/** 409: a restore would write over a database that already holds relations, and was not forced. */
public class DatabaseNotEmpty extends ConflictProblem {

  public DatabaseNotEmpty(String database, long relations) {
    super(
        "database-not-empty",
        "database '"
            + database
            + "' is not empty ("
            + relations
            + (relations == 1 ? " relation" : " relations")
            + " outside the system schemas): restore into a new or empty database, or set force"
            + " to replace the backup's objects (objects not in the backup are kept)");
  }
}
