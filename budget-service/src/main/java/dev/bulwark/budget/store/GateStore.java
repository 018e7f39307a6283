package dev.bulwark.budget.store;

import dev.bulwark.budget.gate.AnswerCode;
import dev.bulwark.budget.gate.GateAnswer;
import dev.bulwark.budget.gate.GateCommand;
import dev.bulwark.budget.gate.ReserveCommand;
import dev.bulwark.budget.gate.SettleCommand;
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
    List<ReserveCommand> reserves = new ArrayList<>();
    List<UUID> reserveIds = new ArrayList<>();
    List<SettleCommand> settles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (commands.get(i) instanceof ReserveCommand reserve) {
        kinds[i] = "reserve";
        reserves.add(reserve);
        reserveIds.add(newIds.get(i));
      } else if (commands.get(i) instanceof SettleCommand settle) {
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
                  reserveIds.toArray(UUID[]::new),
                  reserves.stream().map(ReserveCommand::idempotencyKey).toArray(String[]::new),
                  reserves.stream().map(ReserveCommand::requestHash).toArray(String[]::new),
                  reserves.stream().map(ReserveCommand::category).toArray(String[]::new),
                  reserves.stream().map(ReserveCommand::team).toArray(String[]::new),
                  reserves.stream().map(ReserveCommand::operation).toArray(String[]::new),
                  reserves.stream().map(r -> Json.of(r.labels()).encode()).toArray(String[]::new),
                  reserves.stream().map(r -> Json.of(r.keys()).encode()).toArray(String[]::new),
                  reserves.stream().map(ReserveCommand::estimateUsd).toArray(BigDecimal[]::new),
                  reserves.stream().map(r -> r.ttl().toMillis()).toArray(Long[]::new),
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
