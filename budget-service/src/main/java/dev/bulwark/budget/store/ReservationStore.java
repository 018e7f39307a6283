package dev.bulwark.budget.store;

import dev.bulwark.budget.gate.Hold;
import dev.bulwark.budget.gate.Reservation;
import dev.bulwark.budget.gate.ReservationStatus;
import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for reading reservations and their holds; the gate writes them (see {@link GateStore}). */
@ApplicationScoped
public class ReservationStore {

  // Holds are aggregated into the row so that one query returns whole reservations.
  private static final String SELECT =
      """
      SELECT r.id, r.idempotency_key, r.request_hash, r.category, r.team, r.operation, r.labels,
             r.estimate_usd, r.actual_usd, r.status, r.decision::text AS decision, r.created_at,
             r.expires_at, r.settled_at, r.late,
             COALESCE((SELECT json_agg(json_build_object('b', h.budget_id, 'p', h.period_start, 'a', h.amount_usd))
                         FROM budget.reservation_hold h WHERE h.reservation_id = r.id), '[]') AS holds
        FROM budget.reservation r
      """;

  private final Pool pool;

  public ReservationStore(Pool pool) {
    this.pool = pool;
  }

  public Uni<Optional<Reservation>> find(UUID id) {
    return pool.preparedQuery(SELECT + " WHERE r.id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.empty()
                    : Optional.of(from(rows.iterator().next())));
  }

  /** Ids of held reservations past their TTL at {@code at}, oldest first. */
  public Uni<List<UUID>> dueForExpiry(Instant at, int limit) {
    return pool.preparedQuery(
            "SELECT id FROM budget.reservation WHERE status = 'held' AND expires_at <= $1 ORDER BY expires_at LIMIT $2")
        .execute(Tuple.of(Timestamps.utc(at), limit))
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID("id")));
              return ids;
            });
  }

  private static Reservation from(Row row) {
    List<Hold> holds = new ArrayList<>();
    Object rawHolds = row.getValue("holds");
    JsonArray array = rawHolds instanceof JsonArray a ? a : new JsonArray(String.valueOf(rawHolds));
    for (int i = 0; i < array.size(); i++) {
      JsonObject h = array.getJsonObject(i);
      holds.add(
          new Hold(
              UUID.fromString(h.getString("b")),
              OffsetDateTime.parse(h.getString("p")).toInstant(),
              new BigDecimal(h.getValue("a").toString())));
    }
    return new Reservation(
        row.getUUID("id"),
        row.getString("idempotency_key"),
        row.getString("request_hash"),
        row.getString("category"),
        row.getString("team"),
        row.getString("operation"),
        Json.toMap(row.getJsonObject("labels")),
        BudgetStore.usd(row, "estimate_usd"),
        BudgetStore.usd(row, "actual_usd"),
        ReservationStatus.fromWire(row.getString("status")),
        row.getString("decision"),
        Timestamps.instant(row.getOffsetDateTime("created_at")),
        Timestamps.instant(row.getOffsetDateTime("expires_at")),
        Timestamps.instant(row.getOffsetDateTime("settled_at")),
        row.getBoolean("late"),
        holds);
  }
}
