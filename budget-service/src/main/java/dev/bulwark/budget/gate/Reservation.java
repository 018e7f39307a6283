package dev.bulwark.budget.gate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored reservation and its holds; status is one of held, committed, released, expired, denied.
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
    String status,
    String decisionJson,
    Instant createdAt,
    Instant expiresAt,
    Instant settledAt,
    List<Hold> holds) {

  public static final String HELD = "held";
  public static final String COMMITTED = "committed";
  public static final String RELEASED = "released";
  public static final String EXPIRED = "expired";
  public static final String DENIED = "denied";
}
