package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Spend recorded without a reservation, stored with its idempotency key so that a replay returns it
 * unchanged; {@code budgets} are the matching budgets' figures right after it was counted.
 */
public record UngatedSpend(
    UUID id, BigDecimal amountUsd, Instant occurredAt, List<Decision.BudgetState> budgets) {}
