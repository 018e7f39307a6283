package dev.bulwark.budget.spend;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The spend of one group: its key (dimension name to value), sums (of which late commits and
 * ungated spend) and number of ledger entries.
 */
public record SpendGroup(
    Map<String, String> group,
    BigDecimal amountUsd,
    BigDecimal overrunUsd,
    BigDecimal lateUsd,
    BigDecimal ungatedUsd,
    long entries) {}
