package dev.bulwark.budget.store;

import dev.bulwark.budget.gate.Hold;
import dev.bulwark.budget.gate.Reservation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for reservations and their holds. Batch writes use one statement over arrays. */
@ApplicationScoped
public class ReservationStore {

  // Holds are aggregated into the row so that one query returns whole reservations.
  private static final String SELECT =
      """
      SELECT r.id, r.idempotency_key, r.request_hash, r.category, r.team, r.operation, r.labels,
             r.estimate_usd, r.actual_usd, r.status, r.decision::text AS decision, r.created_at,
             r.expires_at, r.settled_at,
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

  public Uni<Map<String, Reservation>> findByKeys(SqlClient tx, Collection<String> keys) {
    if (keys.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return tx.preparedQuery(SELECT + " WHERE r.idempotency_key = ANY($1::text[])")
        .execute(Tuple.of(keys.toArray(String[]::new)))
        .map(rows -> byKey(rows, Reservation::idempotencyKey));
  }

  /** Locks reservations about to be settled, in id order (the same order on every replica). */
  public Uni<Map<UUID, Reservation>> lockForSettle(SqlClient tx, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return tx.preparedQuery(SELECT + " WHERE r.id = ANY($1::uuid[]) ORDER BY r.id FOR UPDATE OF r")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(rows -> byKey(rows, Reservation::id));
  }

  /** Ids of held reservations past their TTL, oldest first. */
  public Uni<List<UUID>> dueForExpiry(Instant now, int limit) {
    return pool.preparedQuery(
            "SELECT id FROM budget.reservation WHERE status = 'held' AND expires_at <= $1 ORDER BY expires_at LIMIT $2")
        .execute(Tuple.of(BudgetStore.utc(now), limit))
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID("id")));
              return ids;
            });
  }

  /**
   * Inserts new reservations and their holds. Fails with SQLSTATE {@link #KEY_RACE} when another
   * transaction committed one of the idempotency keys meanwhile: the caller retries and replays it.
   */
  public Uni<Void> insert(SqlClient tx, List<Reservation> unsorted) {
    if (unsorted.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // One key order for every transaction, so two racing on the same keys cannot deadlock.
    List<Reservation> reservations =
        unsorted.stream()
            .sorted(java.util.Comparator.comparing(Reservation::idempotencyKey))
            .toList();
    int n = reservations.size();
    UUID[] ids = new UUID[n];
    String[] keys = new String[n];
    String[] hashes = new String[n];
    String[] categories = new String[n];
    String[] teams = new String[n];
    String[] operations = new String[n];
    String[] labels = new String[n];
    BigDecimal[] estimates = new BigDecimal[n];
    String[] statuses = new String[n];
    String[] decisions = new String[n];
    OffsetDateTime[] created = new OffsetDateTime[n];
    OffsetDateTime[] expires = new OffsetDateTime[n];
    List<Hold> holds = new ArrayList<>();
    List<UUID> holdOwners = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Reservation r = reservations.get(i);
      ids[i] = r.id();
      keys[i] = r.idempotencyKey();
      hashes[i] = r.requestHash();
      categories[i] = r.category();
      teams[i] = r.team();
      operations[i] = r.operation();
      labels[i] = Json.of(r.labels()).encode();
      estimates[i] = r.estimateUsd();
      statuses[i] = r.status();
      decisions[i] = r.decisionJson();
      created[i] = BudgetStore.utc(r.createdAt());
      expires[i] = BudgetStore.utc(r.expiresAt());
      r.holds()
          .forEach(
              h -> {
                holds.add(h);
                holdOwners.add(r.id());
              });
    }
    // One statement: reservations, then holds of those actually inserted; a key taken meanwhile
    // raises BW001, which aborts the transaction.
    return tx.preparedQuery(
            """
            WITH r AS (
              INSERT INTO budget.reservation (id, idempotency_key, request_hash, category, team, operation,
                                              labels, estimate_usd, status, decision, created_at, expires_at)
              SELECT id, k, h, c, t, o, l::jsonb, e, s, d::jsonb, ca, ea
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::text[], $8::numeric[], $9::text[], $10::text[], $11::timestamptz[],
                            $12::timestamptz[]) AS v(id, k, h, c, t, o, l, e, s, d, ca, ea)
              ON CONFLICT (idempotency_key) DO NOTHING
              RETURNING id),
            held AS (
              INSERT INTO budget.reservation_hold (reservation_id, budget_id, period_start, amount_usd)
              SELECT v.* FROM unnest($13::uuid[], $14::uuid[], $15::timestamptz[], $16::numeric[]) AS v(r, b, p, a)
               WHERE v.r IN (SELECT id FROM r))
            SELECT budget.require_all_inserted($17, (SELECT count(*) FROM r))""")
        .execute(
            Tuple.from(
                new Object[] {
                  ids,
                  keys,
                  hashes,
                  categories,
                  teams,
                  operations,
                  labels,
                  estimates,
                  statuses,
                  decisions,
                  created,
                  expires,
                  holdOwners.toArray(UUID[]::new),
                  holds.stream().map(Hold::budgetId).toArray(UUID[]::new),
                  holds.stream()
                      .map(h -> BudgetStore.utc(h.periodStart()))
                      .toArray(OffsetDateTime[]::new),
                  holds.stream().map(Hold::amountUsd).toArray(BigDecimal[]::new),
                  (long) n
                }))
        .replaceWithVoid();
  }

  public Uni<Void> updateSettled(SqlClient tx, Collection<Reservation> settled) {
    if (settled.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery(
            """
            UPDATE budget.reservation r SET status = v.s, actual_usd = v.a, settled_at = v.t
              FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::timestamptz[]) AS v(id, s, a, t)
             WHERE r.id = v.id""")
        .execute(
            Tuple.of(
                settled.stream().map(Reservation::id).toArray(UUID[]::new),
                settled.stream().map(Reservation::status).toArray(String[]::new),
                settled.stream().map(Reservation::actualUsd).toArray(BigDecimal[]::new),
                settled.stream()
                    .map(r -> BudgetStore.utc(r.settledAt()))
                    .toArray(OffsetDateTime[]::new)))
        .replaceWithVoid();
  }

  /** SQLSTATE raised when another transaction inserted one of our idempotency keys first. */
  public static final String KEY_RACE = "BW001";

  private static <K> Map<K, Reservation> byKey(
      io.vertx.mutiny.sqlclient.RowSet<Row> rows, java.util.function.Function<Reservation, K> key) {
    Map<K, Reservation> found = new HashMap<>();
    rows.forEach(
        row -> {
          Reservation reservation = from(row);
          found.put(key.apply(reservation), reservation);
        });
    return found;
  }

  static Reservation from(Row row) {
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
        row.getString("status"),
        row.getString("decision"),
        BudgetStore.instant(row.getOffsetDateTime("created_at")),
        BudgetStore.instant(row.getOffsetDateTime("expires_at")),
        BudgetStore.instant(row.getOffsetDateTime("settled_at")),
        holds);
  }
}
