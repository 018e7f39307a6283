package dev.bulwark.budget.gate;

import dev.bulwark.budget.budgets.Mode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The gate's answer to a reservation, stored with it so that a replay returns it unchanged. Figures
 * in {@code budgets} are those of each matching budget right after the decision; {@code deniedBy}
 * is null when it was granted.
 */
public record Decision(
    UUID reservationId,
    boolean granted,
    ReservationStatus status,
    BigDecimal estimateUsd,
    Instant createdAt,
    Instant expiresAt,
    BudgetState deniedBy,
    boolean softLimitCrossed,
    List<BudgetState> budgets) {

  /** One matching budget's current-period figures. */
  public record BudgetState(
      UUID budgetId,
      String name,
      Mode mode,
      BigDecimal limitUsd,
      BigDecimal spentUsd,
      BigDecimal heldUsd,
      BigDecimal remainingUsd,
      boolean softLimitCrossed) {}
}
