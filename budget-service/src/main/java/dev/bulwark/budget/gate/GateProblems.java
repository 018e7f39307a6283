package dev.bulwark.budget.gate;

import dev.bulwark.common.problem.ConflictProblem;
import dev.bulwark.common.problem.NotFoundProblem;
import java.math.BigDecimal;
import java.util.UUID;

/** The gate's typed refusals: each says what the caller can do about it. */
public final class GateProblems {

  private GateProblems() {}

  /** No reservation has this id. */
  public static class ReservationNotFound extends NotFoundProblem {
    public ReservationNotFound(UUID id) {
      super("reservation-not-found", "no reservation with id " + id);
    }
  }

  /** The same idempotency key arrived with a different body. */
  public static class IdempotencyKeyReused extends ConflictProblem {
    public IdempotencyKeyReused(String key) {
      super(
          "idempotency-key-reused",
          "Idempotency-Key '"
              + key
              + "' was first used with a different request body; use a new key for a new request");
    }
  }

  /** Commit or release of a reservation that is no longer held. */
  public static class ReservationSettled extends ConflictProblem {
    public ReservationSettled(UUID id, ReservationStatus status, SettleCommand.Kind attempted) {
      super(
          "reservation-" + status.wire(),
          "reservation "
              + id
              + " is "
              + status.wire()
              + "; it cannot be "
              + (attempted == SettleCommand.Kind.COMMIT ? "committed" : "released"));
    }
  }

  /** A second commit with another amount. */
  public static class AlreadyCommitted extends ConflictProblem {
    public AlreadyCommitted(UUID id, BigDecimal actual) {
      super(
          "reservation-committed",
          "reservation " + id + " was already committed with actualUsd " + actual.toPlainString());
    }
  }
}
