package dev.bulwark.failover.api;

import dev.bulwark.failover.drills.Drill;
import java.time.Instant;

/** One drill: its state and, once finished, its report or why it failed. */
public record DrillView(
    long id,
    String group,
    String kind,
    String state,
    Instant startedAt,
    Instant finishedAt,
    DrillReportView report,
    String error) {

  static DrillView of(Drill drill) {
    return new DrillView(
        drill.id(),
        drill.group(),
        drill.kind().wire(),
        drill.state().wire(),
        drill.startedAt(),
        drill.finishedAt().orElse(null),
        drill.report().map(DrillReportView::of).orElse(null),
        drill.error().orElse(null));
  }
}
