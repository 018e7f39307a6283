package dev.bulwark.backup.dumps;

import dev.bulwark.common.problem.UnavailableProblem;

/** 503: the target could not be reached to open the snapshot a backup is taken in. */
public class SnapshotUnavailable extends UnavailableProblem {

  public SnapshotUnavailable(String target, String reason) {
    super(
        "backup-target-unavailable",
        "cannot open a snapshot of backup target '" + target + "': " + reason);
  }
}
