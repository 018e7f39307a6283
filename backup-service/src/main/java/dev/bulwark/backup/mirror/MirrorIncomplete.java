package dev.bulwark.backup.mirror;

import dev.bulwark.common.problem.UnavailableProblem;

/** A run that went through every object but could not copy some; the next run tries them again. */
public class MirrorIncomplete extends UnavailableProblem {

  public MirrorIncomplete(MirrorReport report) {
    super(
        "mirror-incomplete",
        "mirror '"
            + report.mirror()
            + "' copied "
            + report.objectsCopied()
            + " objects but "
            + report.objectsFailed()
            + " failed and "
            + report.objectsPending()
            + " are pending; first errors: "
            + report.errors());
  }
}
