package dev.bulwark.budget.gate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The gate's answer to a reservation, stored with it so that a replay returns it unchanged. Figures
 * in {@code budgets} are those of each matching budget right after the decision.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(
    UUID reservationId,
    boolean granted,
    String status,
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
      String mode,
      BigDecimal limitUsd,
      BigDecimal spentUsd,
      BigDecimal heldUsd,
      BigDecimal remainingUsd,
      boolean softLimitCrossed) {}
}
