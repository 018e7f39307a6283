package dev.bulwark.budget.store;

import dev.bulwark.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * SQL of reservation retention: removes settled and denied reservations (with their holds) whose
 * last activity is before a cutoff, a bounded batch per statement; the ledger and the period
 * counters are never touched.
 */
@ApplicationScoped
public class RetentionStore {

  private final Pool pool;

  public RetentionStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Removes up to {@code limit} reservations that are not held and were last active before {@code
   * cutoff}, oldest first, in one transaction; returns how many. Rows a gate batch has locked are
   * skipped (the next batch or run takes them), so this never waits on the gate.
   */
  public Uni<Integer> removeBatch(Instant cutoff, int limit) {
    return pool.preparedQuery(
            """
            WITH doomed AS (
                SELECT id FROM budget.reservation
                 WHERE status <> 'held' AND coalesce(settled_at, created_at) < $1
                 ORDER BY coalesce(settled_at, created_at)
                 LIMIT $2
                   FOR UPDATE SKIP LOCKED)
            DELETE FROM budget.reservation r USING doomed d WHERE r.id = d.id""")
        .execute(Tuple.of(Timestamps.utc(cutoff), limit))
        .map(rows -> rows.rowCount());
  }

  /** Last activity of the oldest settled or denied reservation still stored; empty if none. */
  public Uni<Optional<Instant>> oldestSettled() {
    return pool.preparedQuery(
            "SELECT min(coalesce(settled_at, created_at)) AS oldest FROM budget.reservation"
                + " WHERE status <> 'held'")
        .execute()
        .map(
            rows ->
                Optional.ofNullable(
                    Timestamps.instant(rows.iterator().next().getOffsetDateTime("oldest"))));
  }
}
