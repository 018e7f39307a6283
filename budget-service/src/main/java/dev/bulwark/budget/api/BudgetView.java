package dev.bulwark.budget.api;

import dev.bulwark.budget.budgets.Budgets;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A budget with the figures of its current period. */
public record BudgetView(
    UUID id,
    String name,
    Map<String, String> scope,
    String period,
    String timeZone,
    BigDecimal limitUsd,
    BigDecimal softRatio,
    BigDecimal softLimitUsd,
    String mode,
    boolean exported,
    Instant createdAt,
    Instant updatedAt,
    Instant archivedAt,
    PeriodView current) {

  static BudgetView of(Budgets.WithPeriod w) {
    var b = w.budget();
    return new BudgetView(
        b.id(),
        b.name(),
        b.scope(),
        b.period().wire(),
        b.timeZone().getId(),
        b.limitUsd(),
        b.softRatio(),
        b.softLimitUsd(),
        b.mode().wire(),
        b.exported(),
        b.createdAt(),
        b.updatedAt(),
        b.archivedAt(),
        PeriodView.of(b, w.current()));
  }
}
