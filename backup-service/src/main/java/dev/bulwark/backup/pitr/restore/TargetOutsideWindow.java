package dev.bulwark.backup.pitr.restore;

import dev.bulwark.common.problem.ProblemException;

/** 422: the asked time lies outside what the base backups and the archived WAL can reach. */
public class TargetOutsideWindow extends ProblemException {

  private final RestoreWindow window;

  public TargetOutsideWindow(String target, String asked, RestoreWindow window) {
    super(
        422,
        "pitr-target-outside-window",
        "Unprocessable content",
        "target '"
            + target
            + "' can be restored to times from "
            + window.from()
            + " to "
            + window.to()
            + ", not to "
            + asked
            + "; ask for a point inside that window");
    this.window = window;
  }

  public RestoreWindow window() {
    return window;
  }
}
