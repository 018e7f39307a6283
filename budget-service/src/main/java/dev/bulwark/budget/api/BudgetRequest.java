package dev.bulwark.budget.api;

import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.budgets.PeriodKind;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Definition of a budget, for create and update. {@code exported} absent is false on create and
 * unchanged on update, so replacing a limit never silently drops a budget's gauges and alerts.
 */
public record BudgetRequest(
    @NotBlank
        @Size(max = 100)
        @Pattern(
            regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
            message = "must be letters, digits, '.', '_' or '-'")
        String name,
    @Size(max = 10)
        Map<
                @Pattern(
                    regexp = "[a-z][a-z0-9_.-]{0,62}",
                    message = "scope keys are lower-case words such as category or team")
                String,
                @NotBlank @Size(max = 200) String>
            scope,
    @NotNull(message = "must be one of daily, weekly, monthly, total") PeriodKind period,
    @Size(max = 64) String timeZone,
    @NotNull @Positive @Digits(integer = 14, fraction = 6) BigDecimal limitUsd,
    @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") @Digits(integer = 1, fraction = 6)
        BigDecimal softRatio,
    Mode mode,
    Boolean exported) {}
