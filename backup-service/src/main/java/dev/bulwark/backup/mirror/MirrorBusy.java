package dev.bulwark.backup.mirror;

import dev.bulwark.common.problem.ConflictProblem;

/** 409: the mirror is already running on this replica; its run will copy what is new. */
public class MirrorBusy extends ConflictProblem {

  public MirrorBusy(String name) {
    super(
        "mirror-busy",
        "mirror '" + name + "' is already running; wait for that run to finish, then try again");
  }
}
