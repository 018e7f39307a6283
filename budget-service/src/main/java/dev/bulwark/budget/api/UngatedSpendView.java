package dev.bulwark.budget.api;

import dev.bulwark.budget.api.DecisionView.BudgetStateView;
import dev.bulwark.budget.gate.UngatedSpend;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Recorded spend without a reservation, and the matching budgets' figures right after it. */
public record UngatedSpendView(
    UUID id, BigDecimal amountUsd, Instant occurredAt, List<BudgetStateView> budgets) {

  static UngatedSpendView of(UngatedSpend s) {
    return new UngatedSpendView(
        s.id(),
        s.amountUsd(),
        s.occurredAt(),
        s.budgets().stream().map(BudgetStateView::of).toList());
  }
}
