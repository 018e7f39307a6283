package dev.bulwark.failover.drills;

/** A drill as the Markdown report that docs/drills/ keeps. */
public final class DrillMarkdown {

  private DrillMarkdown() {}

  public static String of(Drill drill) {
    StringBuilder md = new StringBuilder();
    md.append("# Drill ")
        .append(drill.id())
        .append(": ")
        .append(drill.kind().wire())
        .append(" of group `")
        .append(drill.group())
        .append("`\n\n");
    md.append("- state: **").append(drill.state().wire()).append("**\n");
    md.append("- started: ").append(drill.startedAt()).append('\n');
    drill.finishedAt().ifPresent(at -> md.append("- finished: ").append(at).append('\n'));
    drill.error().ifPresent(e -> md.append("- error: ").append(e).append('\n'));
    drill
        .report()
        .ifPresent(
            r -> {
              md.append("\n| figure | value |\n| --- | --- |\n");
              row(md, "old primary", "`" + r.oldPrimary() + "`");
              row(md, "new primary", "`" + r.newPrimary() + "`");
              row(md, "epoch", r.epochBefore() + " → " + r.epochAfter());
              row(
                  md,
                  "detection (first failed check → decision)",
                  r.detectionMillis()
                      .map(ms -> ms + " ms")
                      .orElse("— (a switchover detects nothing)"));
              row(md, "promotion (decision → out of recovery)", r.promotionMillis() + " ms");
              row(md, "write-failure window", r.writeFailureWindowMillis() + " ms");
              row(md, "writes acknowledged", Long.toString(r.ackedWrites()));
              row(md, "writes failed", Long.toString(r.failedWrites()));
              row(
                  md,
                  "last acknowledged write before the switch",
                  r.lastAckBeforeSwitch().map(seq -> "#" + seq).orElse("—"));
              row(md, "it survived on the new primary", r.lastAckSurvived() ? "yes" : "**no**");
              row(md, "acknowledged writes lost", Long.toString(r.lostWrites()));
              md.append("\nOld primary afterwards: ").append(r.oldPrimaryAfter()).append('\n');
            });
    return md.toString();
  }

  private static void row(StringBuilder md, String figure, String value) {
    md.append("| ").append(figure).append(" | ").append(value).append(" |\n");
  }
}
