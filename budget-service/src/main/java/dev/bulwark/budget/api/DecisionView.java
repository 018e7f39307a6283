package dev.bulwark.budget.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.budget.gate.Decision;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The gate's answer to a reservation; {@code deniedBy} only on a denial. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(
    UUID reservationId,
    boolean granted,
    String status,
    BigDecimal estimateUsd,
    Instant createdAt,
    Instant expiresAt,
    BudgetStateView deniedBy,
    boolean softLimitCrossed,
    List<BudgetStateView> budgets) {

  /** One matching budget's current-period figures right after the decision. */
  public record BudgetStateView(
      UUID budgetId,
      String name,
      String mode,
      BigDecimal limitUsd,
      BigDecimal spentUsd,
      BigDecimal heldUsd,
      BigDecimal remainingUsd,
      boolean softLimitCrossed) {

    static BudgetStateView of(Decision.BudgetState s) {
      return new BudgetStateView(
          s.budgetId(),
          s.name(),
          s.mode().wire(),
          s.limitUsd(),
          s.spentUsd(),
          s.heldUsd(),
          s.remainingUsd(),
          s.softLimitCrossed());
    }
  }

  static DecisionView of(Decision d) {
    return new DecisionView(
        d.reservationId(),
        d.granted(),
        d.status().wire(),
        d.estimateUsd(),
        d.createdAt(),
        d.expiresAt(),
        d.deniedBy() == null ? null : BudgetStateView.of(d.deniedBy()),
        d.softLimitCrossed(),
        d.budgets().stream().map(BudgetStateView::of).toList());
  }
}
