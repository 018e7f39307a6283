package dev.bulwark.metrics.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** A batch of created leads. */
public record LeadBatch(@NotNull List<@NotNull @Valid LeadRequest> leads) {}
