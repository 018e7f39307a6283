package dev.bulwark.budget.budgets;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/**
 * A budget: a hard limit in USD per period for the operations whose keys match its scope, with a
 * soft limit as a ratio of it. An empty scope matches every operation. An exported budget has
 * gauges of its own; the others are counted in aggregates.
 */
public record Budget(
    UUID id,
    String name,
    Map<String, String> scope,
    PeriodKind period,
    ZoneId timeZone,
    BigDecimal limitUsd,
    BigDecimal softRatio,
    Mode mode,
    boolean exported,
    Instant createdAt,
    Instant updatedAt,
    Instant archivedAt) {

  /**
   * Whether an operation with these keys counts against this budget: every scope key must match.
   */
  public boolean matches(Map<String, String> keys) {
    for (Map.Entry<String, String> entry : scope.entrySet()) {
      if (!entry.getValue().equals(keys.get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  public Instant currentPeriodStart(Instant now) {
    return period.startOf(now, timeZone);
  }

  public BigDecimal softLimitUsd() {
    return dev.bulwark.common.money.Money.rounded(limitUsd.multiply(softRatio));
  }

  public boolean archived() {
    return archivedAt != null;
  }
}
