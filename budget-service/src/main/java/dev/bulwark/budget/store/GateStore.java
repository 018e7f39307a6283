package dev.bulwark.budget.store;

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
 * SQL of the gate: one call of {@code budget.gate_batch} (migration V3) locks, decides and writes a
 * whole batch in one statement, so a hot budget period is locked for that statement and its commit.
 */
@ApplicationScoped
public class GateStore {

  /** SQLSTATE raised when another transaction inserted one of our idempotency keys first. */
  public static final String KEY_RACE = "BW001";

  /**
   * The answer to one operation, as {@code gate_batch} documents it: an outcome such as {@code
   * decision}, {@code reservation} or {@code not-found}, whether it replays an earlier answer, and
   * its JSON or text.
   */
  public record Answer(String outcome, boolean replayed, String body) {}

  private final Pool pool;

  public GateStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Decides {@link ReserveCommand}s and {@link SettleCommand}s in this order, at {@code at}, in one
   * statement in its own transaction; {@code newIds.get(i)} is the id the reserve at {@code i}
   * gets. Answers come back in the same order.
   */
  public Uni<List<Answer>> decide(Instant at, List<?> commands, List<UUID> newIds) {
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
      } else {
        SettleCommand settle = (SettleCommand) commands.get(i);
        kinds[i] = settle.kind().name().toLowerCase(Locale.ROOT);
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
              List<Answer> answers = new ArrayList<>(n);
              rows.forEach(
                  row ->
                      answers.add(
                          new Answer(
                              row.getString("outcome"),
                              row.getBoolean("replayed"),
                              row.getString("body"))));
              return answers;
            });
  }
}
