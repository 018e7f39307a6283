package dev.bulwark.metrics.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** One email event in the suite's own format. */
public record EmailEventRequest(
    @Pattern(regexp = "[a-z][a-z0-9_-]{0,31}", message = "must be a lower-case word")
        String provider,
    @NotBlank @Size(max = 200) String providerEventId,
    @Size(max = 200) String messageId,
    @NotNull
        @Pattern(
            regexp = "delivered|bounced|complained|deferred",
            message = "must be one of delivered, bounced, complained, deferred")
        String event,
    @Pattern(regexp = "hard|soft", message = "must be hard or soft") String bounceType,
    @Size(max = 200) String campaign,
    @NotNull Instant occurredAt) {}
