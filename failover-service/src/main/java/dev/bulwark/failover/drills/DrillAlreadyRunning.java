package dev.bulwark.failover.drills;

import dev.bulwark.common.problem.ConflictProblem;

/** One drill at a time per group. */
public class DrillAlreadyRunning extends ConflictProblem {

  public DrillAlreadyRunning(String group) {
    super(
        "drill-running",
        "a drill of group '"
            + group
            + "' is running; wait until GET /api/v1/groups/"
            + group
            + "/drills shows it finished");
  }
}
