package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.util.UUID;

/** Ends a hold: commit the actual cost, release it, or expire it past its TTL. */
public record SettleCommand(UUID reservationId, Kind kind, BigDecimal actualUsd) {

  /** What the caller (or the expiry job) asks for. */
  public enum Kind {
    COMMIT,
    RELEASE,
    EXPIRE
  }
}
