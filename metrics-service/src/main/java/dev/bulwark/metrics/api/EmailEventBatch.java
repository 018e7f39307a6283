package dev.bulwark.metrics.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** A batch of email events in the suite's own format. */
public record EmailEventBatch(@NotNull List<@NotNull @Valid EmailEventRequest> events) {}
