package dev.bulwark.budget.api;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.Map;

/** Spend that had no reservation: what it was for and what it cost. */
public record UngatedSpendRequest(
    @Size(max = 100) String category,
    @Size(max = 100) String team,
    @Size(max = 200) String operation,
    @Size(max = 20)
        Map<
                @Pattern(
                    regexp = "[a-z][a-z0-9_.-]{0,62}",
                    message = "label keys are lower-case words")
                String,
                @NotNull @Size(max = 200) String>
            labels,
    @NotNull @Positive @Digits(integer = 14, fraction = 6) BigDecimal amountUsd) {}
