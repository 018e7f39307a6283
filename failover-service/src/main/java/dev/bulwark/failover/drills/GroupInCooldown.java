package dev.bulwark.failover.drills;

import dev.bulwark.common.problem.ConflictProblem;
import java.time.Instant;

/** The automatic path takes no decision within the cooldown, so a primary-loss drill would hang. */
public class GroupInCooldown extends ConflictProblem {

  public GroupInCooldown(String group, Instant until) {
    super(
        "group-in-cooldown",
        "group '"
            + group
            + "' failed over recently and fails over automatically again only after "
            + until
            + " (its cooldown); run the primary-loss drill then, or a switchover now");
  }
}
