package dev.bulwark.failover.groups;

import dev.bulwark.common.problem.ConflictProblem;

/** The group has no stored primary yet (no member answered as primary since it was configured). */
public class GroupNotReady extends ConflictProblem {

  public GroupNotReady(String group) {
    super(
        "group-not-ready",
        "group '" + group + "' has no known primary yet; retry once one of its members answers");
  }
}
