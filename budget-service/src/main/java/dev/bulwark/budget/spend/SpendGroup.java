package dev.bulwark.budget.spend;

import java.math.BigDecimal;
import java.util.Map;

/** The spend of one group: its key (dimension name to value), sums and number of commits. */
public record SpendGroup(
    Map<String, String> group, BigDecimal amountUsd, BigDecimal overrunUsd, long entries) {}
