package dev.bulwark.failover.drills;

import dev.bulwark.common.problem.ConflictProblem;

/** A paused group is never failed over, by a drill neither. */
public class GroupPaused extends ConflictProblem {

  public GroupPaused(String group) {
    super(
        "group-paused",
        "group '"
            + group
            + "' is paused for maintenance; POST /api/v1/groups/"
            + group
            + "/resume first, then start the drill");
  }
}
