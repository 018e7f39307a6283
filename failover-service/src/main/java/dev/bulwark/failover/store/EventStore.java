package dev.bulwark.failover.store;

import dev.bulwark.common.time.Timestamps;
import dev.bulwark.failover.groups.EventKind;
import dev.bulwark.failover.groups.FailoverEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SQL of the failover events: appended, listed newest first by keyset on id. */
@ApplicationScoped
public class EventStore {

  private final Pool pool;

  public EventStore(Pool pool) {
    this.pool = pool;
  }

  public Uni<Void> record(FailoverEvent event) {
    return insert(pool, event);
  }

  static Uni<Void> insert(SqlClient client, FailoverEvent event) {
    return client
        .preparedQuery(
            """
            INSERT INTO failover.failover_event (group_name, at, kind, epoch, old_primary,
              new_primary, consecutive_failures, lag_bytes, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
        .execute(
            Tuple.tuple(
                Arrays.asList(
                    event.group(),
                    Timestamps.utc(event.at()),
                    event.kind().wire(),
                    event.epoch(),
                    event.oldPrimary().orElse(null),
                    event.newPrimary().orElse(null),
                    event.consecutiveFailures().orElse(null),
                    event.lagBytes().orElse(null),
                    event.detail())))
        .replaceWithVoid();
  }

  /** Up to {@code limit} events of {@code group} older than {@code beforeId}, newest first. */
  public Uni<List<FailoverEvent>> page(String group, Optional<Long> beforeId, int limit) {
    return pool.preparedQuery(
            """
            SELECT id, group_name, at, kind, epoch, old_primary, new_primary,
                   consecutive_failures, lag_bytes, detail
            FROM failover.failover_event
            WHERE group_name = $1 AND id < $2
            ORDER BY id DESC LIMIT $3""")
        .execute(Tuple.of(group, beforeId.orElse(Long.MAX_VALUE), limit))
        .map(
            rows -> {
              List<FailoverEvent> page = new ArrayList<>();
              rows.forEach(row -> page.add(event(row)));
              return page;
            });
  }

  private static FailoverEvent event(Row row) {
    return new FailoverEvent(
        row.getLong("id"),
        row.getString("group_name"),
        Timestamps.instant(row.getOffsetDateTime("at")),
        EventKind.fromWire(row.getString("kind")).orElseThrow(),
        row.getLong("epoch"),
        Optional.ofNullable(row.getString("old_primary")),
        Optional.ofNullable(row.getString("new_primary")),
        Optional.ofNullable(row.getInteger("consecutive_failures")),
        Optional.ofNullable(row.getLong("lag_bytes")),
        row.getString("detail"));
  }
}
