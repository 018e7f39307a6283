package dev.bulwark.metrics.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** One created lead. */
public record LeadRequest(
    @NotBlank @Size(max = 200) String id,
    @NotBlank @Size(max = 100) String source,
    @NotNull Instant createdAt) {}
