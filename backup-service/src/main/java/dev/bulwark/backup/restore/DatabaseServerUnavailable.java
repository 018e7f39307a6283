package dev.bulwark.backup.restore;

import dev.bulwark.common.problem.UnavailableProblem;

/** 503: the server a restore or verification writes into cannot be reached or refused the work. */
public class DatabaseServerUnavailable extends UnavailableProblem {

  public DatabaseServerUnavailable(DatabaseServer server, String reason) {
    super(
        "database-server-unavailable",
        "cannot work on the "
            + server.role()
            + " PostgreSQL server "
            + server.host()
            + ":"
            + server.port()
            + ": "
            + reason);
  }
}
