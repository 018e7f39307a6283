package dev.bulwark.failover.groups;

import dev.bulwark.common.problem.ConflictProblem;

/** The group is being failed over; pausing or resuming must wait until it finishes. */
public class FailoverInProgress extends ConflictProblem {

  public FailoverInProgress(String group, String candidate) {
    super(
        "failover-in-progress",
        "group '"
            + group
            + "' is failing over to '"
            + candidate
            + "'; retry once GET /api/v1/groups/"
            + group
            + " no longer says failing-over");
  }
}
