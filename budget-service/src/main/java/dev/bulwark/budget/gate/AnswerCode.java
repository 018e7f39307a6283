package dev.bulwark.budget.gate;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What {@code budget.gate_batch} answered for one operation (its {@code outcome} column, see the
 * function's comment in {@code R__gate_batch.sql}), and what its {@code body} then holds.
 */
public enum AnswerCode {
  /**
   * The decision on a reserve, or the recorded ungated spend, as JSON; a replay returns the first
   * answer unchanged.
   */
  DECISION("decision"),
  /** The reservation after a commit (late, if its hold had expired), release or expiry, as JSON. */
  RESERVATION("reservation"),
  /** The idempotency key was first used with another request body. */
  KEY_REUSED("key-reused"),
  /** No reservation has the id. */
  NOT_FOUND("not-found"),
  /** The amount the reservation was already committed with. */
  ALREADY_COMMITTED("already-committed"),
  /** The status (released, expired, committed) that forbids the commit or release. */
  SETTLED("settled");

  private static final Map<String, AnswerCode> BY_SQL =
      Arrays.stream(values()).collect(Collectors.toMap(AnswerCode::sql, Function.identity()));

  private final String sql;

  AnswerCode(String sql) {
    this.sql = sql;
  }

  /** The code as {@code gate_batch} writes it. */
  public String sql() {
    return sql;
  }

  public static AnswerCode fromSql(String value) {
    AnswerCode code = BY_SQL.get(value);
    if (code == null) {
      throw new IllegalStateException("unknown gate_batch outcome " + value);
    }
    return code;
  }
}
