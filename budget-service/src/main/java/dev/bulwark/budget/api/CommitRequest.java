package dev.bulwark.budget.api;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;

/** The actual cost of an operation; it may exceed the estimate (an overrun). */
public record CommitRequest(
    @NotNull @Positive @Digits(integer = 14, fraction = 6) BigDecimal actualUsd) {}
