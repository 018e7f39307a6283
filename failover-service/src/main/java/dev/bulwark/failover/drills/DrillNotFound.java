package dev.bulwark.failover.drills;

import dev.bulwark.common.problem.NotFoundProblem;

/** No drill of that id in the group. */
public class DrillNotFound extends NotFoundProblem {

  public DrillNotFound(String group, long id) {
    super(
        "drill-not-found",
        "group '" + group + "' has no drill " + id + "; GET /api/v1/groups/" + group + "/drills");
  }
}
