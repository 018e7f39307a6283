package dev.bulwark.budget.budgets;

import java.math.BigDecimal;

/**
 * How many budgets without gauges of their own are in {@code state} among those of one mode and
 * period kind (of which {@code exportedLeftOut} are exported ones beyond the limit), and the
 * largest utilisation (spent plus held over the limit) among them.
 */
public record StateCount(
    BudgetState state,
    Mode mode,
    PeriodKind period,
    long budgets,
    long exportedLeftOut,
    BigDecimal maxUtilisation) {}
