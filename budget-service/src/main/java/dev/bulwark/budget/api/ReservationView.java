package dev.bulwark.budget.api;

import dev.bulwark.budget.gate.Hold;
import dev.bulwark.budget.gate.Reservation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A reservation's current state; {@code late} when it was committed after its hold expired. */
public record ReservationView(
    UUID id,
    String status,
    String category,
    String team,
    String operation,
    Map<String, String> labels,
    BigDecimal estimateUsd,
    BigDecimal actualUsd,
    BigDecimal overrunUsd,
    Instant createdAt,
    Instant expiresAt,
    Instant settledAt,
    boolean late,
    List<HoldView> holds) {

  /** Part of the reservation held in one budget's period. */
  public record HoldView(UUID budgetId, Instant periodStart, BigDecimal amountUsd) {

    static HoldView of(Hold h) {
      return new HoldView(h.budgetId(), h.periodStart(), h.amountUsd());
    }
  }

  static ReservationView of(Reservation r) {
    // A late commit had nothing held any more: all of it is an overrun.
    BigDecimal overrun =
        r.actualUsd() == null
            ? null
            : r.late()
                ? r.actualUsd()
                : r.actualUsd().subtract(r.estimateUsd()).max(BigDecimal.ZERO.setScale(6));
    return new ReservationView(
        r.id(),
        r.status().wire(),
        r.category(),
        r.team(),
        r.operation(),
        r.labels(),
        r.estimateUsd(),
        r.actualUsd(),
        overrun,
        r.createdAt(),
        r.expiresAt(),
        r.settledAt(),
        r.late(),
        r.holds().stream().map(HoldView::of).toList());
  }
}
