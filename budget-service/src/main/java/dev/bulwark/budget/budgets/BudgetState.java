package dev.bulwark.budget.budgets;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a budget's current period stands, by spent plus held: under its soft limit, at or past the
 * soft limit but under the hard one, or at (or past) the hard limit. Each budget is in one state.
 */
public enum BudgetState {
  UNDER,
  SOFT_LIMIT_CROSSED,
  AT_LIMIT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<BudgetState> named(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
  }
}
