package dev.bulwark.metrics.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/** Finishes a pipeline run with its outcome and counts such as crawled or enriched. */
public record RunFinishRequest(
    @NotNull @Pattern(regexp = "succeeded|failed", message = "must be succeeded or failed")
        String status,
    Instant finishedAt,
    @Size(max = 50)
        Map<
                @Pattern(
                    regexp = "[a-z][a-zA-Z0-9_]{0,62}",
                    message = "count names are words such as crawled")
                String,
                @NotNull @PositiveOrZero Long>
            counts) {}
