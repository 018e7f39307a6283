package dev.bulwark.failover.drills;

import java.util.Optional;

/**
 * What a drill measured. Durations in milliseconds. {@code detectionMillis}: from the old primary's
 * first failed check to the failover decision (absent for a switchover, which detects nothing);
 * {@code promotionMillis}: from the decision until the new primary left recovery; {@code
 * writeFailureWindowMillis}: from the last write acknowledged by the old primary to the first one
 * acknowledged by the new. {@code lostWrites}: acknowledged writes missing on the new primary.
 */
public record DrillReport(
    String oldPrimary,
    String newPrimary,
    long epochBefore,
    long epochAfter,
    Optional<Long> detectionMillis,
    long promotionMillis,
    long writeFailureWindowMillis,
    long ackedWrites,
    long failedWrites,
    Optional<Long> lastAckBeforeSwitch,
    boolean lastAckSurvived,
    long lostWrites,
    String oldPrimaryAfter) {}
