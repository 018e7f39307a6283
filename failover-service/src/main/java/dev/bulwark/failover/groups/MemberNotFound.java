package dev.bulwark.failover.groups;

import dev.bulwark.common.problem.NotFoundProblem;

/** The group has no member of this name. */
public class MemberNotFound extends NotFoundProblem {

  public MemberNotFound(String group, String member) {
    super(
        "member-not-found",
        "group '"
            + group
            + "' has no member '"
            + member
            + "'; GET /api/v1/groups/"
            + group
            + " lists its members");
  }
}
