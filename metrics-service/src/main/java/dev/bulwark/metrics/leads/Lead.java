package dev.bulwark.metrics.leads;

import java.time.Instant;

/** A lead the pipeline created; the id makes a re-sent lead count once. */
public record Lead(String id, String source, Instant createdAt) {}
