package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Part of a reservation held in one budget's period. */
public record Hold(UUID budgetId, Instant periodStart, BigDecimal amountUsd) {}
