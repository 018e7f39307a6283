package dev.bulwark.failover.groups;

import dev.bulwark.common.problem.NotFoundProblem;

/** No configured failover group has this name. */
public class GroupNotFound extends NotFoundProblem {

  public GroupNotFound(String group) {
    super(
        "group-not-found",
        "no failover group '" + group + "'; GET /api/v1/groups lists the configured ones");
  }
}
