package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A stored reservation and its holds. */
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
    List<Hold> holds) {}
