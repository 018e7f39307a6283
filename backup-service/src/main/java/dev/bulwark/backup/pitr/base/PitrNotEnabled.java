package dev.bulwark.backup.pitr.base;

import dev.bulwark.common.problem.NotFoundProblem;

/** 404: the backup target exists but has no point-in-time recovery. */
public class PitrNotEnabled extends NotFoundProblem {

  public PitrNotEnabled(String target) {
    super(
        "pitr-target-not-found",
        "backup target '"
            + target
            + "' has no point-in-time recovery; set bulwark.backup.pitr.targets."
            + target
            + ".enabled=true");
  }
}
