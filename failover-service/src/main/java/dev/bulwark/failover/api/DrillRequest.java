package dev.bulwark.failover.api;

import jakarta.validation.constraints.NotBlank;

/** {@code {"kind":"switchover"|"primary-loss"}}. */
public record DrillRequest(@NotBlank String kind) {}
