package dev.bulwark.budget.api;

import dev.bulwark.common.problem.InvalidRequestProblem;
import java.util.regex.Pattern;

/** The {@code Idempotency-Key} header the gate's writes require, checked the same everywhere. */
final class IdempotencyKeys {

  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

  private IdempotencyKeys() {}

  /** The key, or a 400 naming the header. */
  static String require(String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      throw new InvalidRequestProblem(
          HEADER, "header is required: a unique key per operation, reused only for retries");
    }
    if (!KEY.matcher(idempotencyKey).matches()) {
      throw new InvalidRequestProblem(HEADER, "must be 1 to 200 visible ASCII characters");
    }
    return idempotencyKey;
  }
}
