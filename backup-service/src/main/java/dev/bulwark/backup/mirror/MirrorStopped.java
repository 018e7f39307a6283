package dev.bulwark.backup.mirror;

import dev.bulwark.common.problem.UnavailableProblem;

/**
 * 503: a run stopped before copying everything, because a storage became unreachable as a whole or
 * the run was interrupted; {@link #report()} says how far it got. The next run resumes.
 */
public class MirrorStopped extends UnavailableProblem {

  private final transient MirrorReport report;

  public MirrorStopped(MirrorReport report, String why) {
    super(
        "mirror-stopped",
        "mirror '"
            + report.mirror()
            + "' stopped after copying "
            + report.objectsCopied()
            + " objects with "
            + report.objectsPending()
            + " still to copy: "
            + why
            + "; the next run resumes where it stopped");
    this.report = report;
  }

  public MirrorReport report() {
    return report;
  }
}
