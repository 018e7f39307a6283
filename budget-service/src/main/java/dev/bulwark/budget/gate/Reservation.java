package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored reservation and its holds; {@code late} when it was committed after its hold expired
 * (its spend then counted in the periods of the commit, not in {@code holds}).
 */
public record Reservation(
    UUID id,
    String idempotencyKey,
    String requestHash,
    String category,
    String team,
    String operation,
    Map<String, String> labels,
    BigDecimal estimateUsd,
    BigDecimal actualUsd,
    ReservationStatus status,
    String decisionJson,
    Instant createdAt,
    Instant expiresAt,
    Instant settledAt,
    boolean late,
    List<Hold> holds) {}
