package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.util.UUID;

/** Ends a hold: commit the actual cost, release it, or expire it past its TTL. */
public record SettleCommand(UUID reservationId, Kind kind, BigDecimal actualUsd)
    implements GateCommand {

  /** What the caller (or the expiry job) asks for. */
  public enum Kind {
    COMMIT,
    RELEASE,
    EXPIRE
  }

  public static SettleCommand commit(UUID reservationId, BigDecimal actualUsd) {
    return new SettleCommand(reservationId, Kind.COMMIT, actualUsd);
  }

  public static SettleCommand release(UUID reservationId) {
    return new SettleCommand(reservationId, Kind.RELEASE, null);
  }

  public static SettleCommand expire(UUID reservationId) {
    return new SettleCommand(reservationId, Kind.EXPIRE, null);
  }
}
