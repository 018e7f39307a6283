package dev.bulwark.failover.drills;

import dev.bulwark.common.problem.ConflictProblem;

/** The engine is failing the group over (or its primary is failing): no drill beside it. */
public class FailoverUnderway extends ConflictProblem {

  public FailoverUnderway(String group, String state) {
    super(
        "failover-in-progress",
        "group '"
            + group
            + "' is "
            + state
            + "; retry once GET /api/v1/groups/"
            + group
            + " says healthy");
  }
}
