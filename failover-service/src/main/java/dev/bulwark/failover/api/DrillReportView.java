package dev.bulwark.failover.api;

import dev.bulwark.failover.drills.DrillReport;

/** A drill's figures (milliseconds, counts); detectionMillis absent for a switchover. */
public record DrillReportView(
    String oldPrimary,
    String newPrimary,
    long epochBefore,
    long epochAfter,
    Long detectionMillis,
    long promotionMillis,
    long writeFailureWindowMillis,
    long ackedWrites,
    long failedWrites,
    Long lastAckBeforeSwitch,
    boolean lastAckSurvived,
    long lostWrites,
    String oldPrimaryAfter) {

  static DrillReportView of(DrillReport r) {
    return new DrillReportView(
        r.oldPrimary(),
        r.newPrimary(),
        r.epochBefore(),
        r.epochAfter(),
        r.detectionMillis().orElse(null),
        r.promotionMillis(),
        r.writeFailureWindowMillis(),
        r.ackedWrites(),
        r.failedWrites(),
        r.lastAckBeforeSwitch().orElse(null),
        r.lastAckSurvived(),
        r.lostWrites(),
        r.oldPrimaryAfter());
  }
}
