package dev.bulwark.failover.drills;

import dev.bulwark.common.problem.ProblemException;

/** 422: no standby could take over now; the detail names why for each standby. */
public class NoQualifiedStandby extends ProblemException {

  public NoQualifiedStandby(String group, String why) {
    super(
        422,
        "no-qualified-standby",
        "No qualified standby",
        "group '" + group + "' has no standby that could be promoted: " + why);
  }
}
