package dev.bulwark.budget.gate;

import dev.bulwark.common.problem.ProblemException;

/** The answer to one gate operation: a decision, a settled reservation, or a typed refusal. */
sealed interface GateOutcome {

  /** A reserve was decided (granted or denied); {@code replayed} when its key was seen before. */
  record Decided(Decision decision, boolean replayed) implements GateOutcome {}

  /** A commit, release or expiry left the reservation so; {@code replayed} if it already was. */
  record Settled(Reservation reservation, boolean replayed) implements GateOutcome {}

  /** An ungated spend was recorded; {@code replayed} when its key was seen before. */
  record Recorded(UngatedSpend spend, boolean replayed) implements GateOutcome {}

  /** The operation was refused; the problem says why and what the caller can do. */
  record Refused(ProblemException problem) implements GateOutcome {}
}
