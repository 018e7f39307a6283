package dev.bulwark.budget.store;

import dev.bulwark.budget.gate.AnswerCode;
import dev.bulwark.budget.gate.GateAnswer;
import dev.bulwark.budget.gate.GateCommand;
import dev.bulwark.budget.gate.ReserveCommand;
import dev.bulwark.budget.gate.SettleCommand;
import dev.bulwark.budget.gate.UngatedCommand;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * SQL of the gate: one call of {@code budget.gate_batch} (repeatable migration {@code
 * R__gate_batch.sql}) locks, decides and writes a whole batch in one statement, so a hot budget
 * period is locked for that statement and its commit.
 */
@ApplicationScoped
public class GateStore {

  /** SQLSTATE raised when another transaction inserted one of our idempotency keys first. */
  public static final String KEY_RACE = "BW001";

  private final Pool pool;

  /** A reserve or an ungated spend as {@code gate_batch}'s r_* arrays take it. */
  private record Keyed(
      String key,
      String hash,
      String category,
      String team,
      String operation,
      Map<String, String> labels,
      Map<String, String> keys,
      BigDecimal amount,
      long ttlMillis) {

    static Keyed of(ReserveCommand r) {
      return new Keyed(
          r.idempotencyKey(),
          r.requestHash(),
          r.category(),
          r.team(),
          r.operation(),
          r.labels(),
          r.keys(),
          r.estimateUsd(),
          r.ttl().toMillis());
    }

    static Keyed of(UngatedCommand u) {
      return new Keyed(
          u.idempotencyKey(),
          u.requestHash(),
          u.category(),
          u.team(),
          u.operation(),
          u.labels(),
          u.keys(),
          u.amountUsd(),
          0);
    }
  }

  public GateStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Decides the commands in this order, at {@code at}, in one statement in its own transaction;
   * {@code newIds.get(i)} is the id the reserve at {@code i} gets. Answers come back in the same
   * order.
   */
  public Uni<List<GateAnswer>> decide(Instant at, List<GateCommand> commands, List<UUID> newIds) {
    int n = commands.size();
    String[] kinds = new String[n];
    List<Keyed> keyed = new ArrayList<>();
    List<UUID> keyedIds = new ArrayList<>();
    List<SettleCommand> settles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GateCommand command = commands.get(i);
      if (command instanceof ReserveCommand reserve) {
        kinds[i] = "reserve";
        keyed.add(Keyed.of(reserve));
        keyedIds.add(newIds.get(i));
      } else if (command instanceof UngatedCommand ungated) {
        kinds[i] = "ungated";
        keyed.add(Keyed.of(ungated));
        keyedIds.add(newIds.get(i));
      } else if (command instanceof SettleCommand settle) {
        kinds[i] = settle.kind().name().toLowerCase(Locale.ROOT); // commit, release, expire
        settles.add(settle);
      }
    }
    return pool.preparedQuery(
            """
            SELECT outcome, replayed, body
              FROM budget.gate_batch($1, $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[],
                                     $7::text[], $8::text[], $9::text[], $10::text[], $11::numeric[],
                                     $12::bigint[], $13::uuid[], $14::numeric[])""")
        .execute(
            Tuple.from(
                new Object[] {
                  Timestamps.utc(at),
                  kinds,
                  keyedIds.toArray(UUID[]::new),
                  keyed.stream().map(Keyed::key).toArray(String[]::new),
                  keyed.stream().map(Keyed::hash).toArray(String[]::new),
                  keyed.stream().map(Keyed::category).toArray(String[]::new),
                  keyed.stream().map(Keyed::team).toArray(String[]::new),
                  keyed.stream().map(Keyed::operation).toArray(String[]::new),
                  keyed.stream().map(k -> Json.of(k.labels()).encode()).toArray(String[]::new),
                  keyed.stream().map(k -> Json.of(k.keys()).encode()).toArray(String[]::new),
                  keyed.stream().map(Keyed::amount).toArray(BigDecimal[]::new),
                  keyed.stream().map(Keyed::ttlMillis).toArray(Long[]::new),
                  settles.stream().map(SettleCommand::reservationId).toArray(UUID[]::new),
                  settles.stream()
                      .map(s -> s.actualUsd() == null ? BigDecimal.ZERO : s.actualUsd())
                      .toArray(BigDecimal[]::new)
                }))
        .map(
            rows -> {
              List<GateAnswer> answers = new ArrayList<>(n);
              rows.forEach(
                  row ->
                      answers.add(
                          new GateAnswer(
                              AnswerCode.fromSql(row.getString("outcome")),
                              row.getBoolean("replayed"),
                              row.getString("body"))));
              return answers;
            });
  }
}
