package dev.bulwark.metrics.api;

import java.time.Instant;

/** Starts a pipeline run; {@code startedAt} defaults to now. */
public record RunStartRequest(Instant startedAt) {}
