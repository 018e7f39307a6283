package dev.bulwark.budget.spend;

import java.math.BigDecimal;
import java.util.List;

/** The answer to a {@link SpendQuery}: its groups and their total. */
public record SpendReport(SpendQuery query, BigDecimal totalUsd, List<SpendGroup> groups) {}
