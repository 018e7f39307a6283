package dev.bulwark.backup.store;

import static dev.bulwark.common.time.Timestamps.instant;
import static dev.bulwark.common.time.Timestamps.utc;

import dev.bulwark.backup.pages.LegalHold;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** SQL of legal holds ({@code legal_holds}), which every kind of archived record obeys. */
@ApplicationScoped
public class LegalHoldStore {

  private final Pool pool;

  public LegalHoldStore(Pool pool) {
    this.pool = pool;
  }

  /** Places or updates the hold; true when it is new. */
  public Uni<Boolean> put(LegalHold hold) {
    return pool.preparedQuery(
            """
            INSERT INTO backup.legal_holds (lead_id, reason, created_at) VALUES ($1, $2, $3)
            ON CONFLICT (lead_id) DO UPDATE SET reason = excluded.reason
            RETURNING (xmax = 0) AS inserted
            """)
        .execute(Tuple.of(hold.leadId(), hold.reason(), utc(hold.createdAt())))
        .map(rows -> rows.iterator().next().getBoolean("inserted"));
  }

  /** Lifts the hold; false when there was none. */
  public Uni<Boolean> delete(String leadId) {
    return pool.preparedQuery("DELETE FROM backup.legal_holds WHERE lead_id = $1")
        .execute(Tuple.of(leadId))
        .map(result -> result.rowCount() == 1);
  }

  public Uni<List<LegalHold>> all() {
    return pool.query("SELECT lead_id, reason, created_at FROM backup.legal_holds ORDER BY lead_id")
        .execute()
        .map(rows -> rows.stream().map(LegalHoldStore::hold).toList());
  }

  private static LegalHold hold(Row row) {
    return new LegalHold(
        row.getString("lead_id"),
        row.getString("reason"),
        instant(row.getOffsetDateTime("created_at")));
  }
}
