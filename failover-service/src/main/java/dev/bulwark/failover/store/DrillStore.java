package dev.bulwark.failover.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.time.Timestamps;
import dev.bulwark.failover.drills.Drill;
import dev.bulwark.failover.drills.DrillKind;
import dev.bulwark.failover.drills.DrillReport;
import dev.bulwark.failover.drills.DrillState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SQL of the drills and their reports (JSON). */
@ApplicationScoped
public class DrillStore {

  private static final String COLUMNS =
      "id, group_name, kind, state, started_at, finished_at, report::text AS report, error";

  private final Pool pool;
  private final ObjectMapper json;

  public DrillStore(Pool pool, ObjectMapper json) {
    this.pool = pool;
    this.json = json;
  }

  /**
   * Records a running drill; empty when one of the group is running already (the unique index
   * serialises replicas).
   */
  public Uni<Optional<Drill>> start(String group, DrillKind kind, Instant at) {
    // A drill still running after an hour was cut short (its service stopped): it blocks no more.
    return pool.preparedQuery(
            """
            UPDATE failover.drill SET state = 'failed', finished_at = $2::timestamptz,
              error = 'abandoned: its failover-service stopped while it ran'
            WHERE group_name = $1 AND state = 'running' AND started_at < $2::timestamptz - interval '1 hour'""")
        .execute(Tuple.of(group, Timestamps.utc(at)))
        .chain(() -> insert(group, kind, at));
  }

  private Uni<Optional<Drill>> insert(String group, DrillKind kind, Instant at) {
    return pool.preparedQuery(
            """
            INSERT INTO failover.drill (group_name, kind, state, started_at)
            VALUES ($1, $2, 'running', $3)
            ON CONFLICT (group_name) WHERE state = 'running' DO NOTHING
            RETURNING\s"""
                + COLUMNS)
        .execute(Tuple.of(group, kind.wire(), Timestamps.utc(at)))
        .map(this::first);
  }

  public Uni<Void> finish(
      long id, DrillState state, Instant at, Optional<DrillReport> report, Optional<String> error) {
    return pool.preparedQuery(
            """
            UPDATE failover.drill SET state = $2, finished_at = $3, report = $4, error = $5
            WHERE id = $1""")
        .execute(
            Tuple.tuple(
                Arrays.asList(
                    id,
                    state.wire(),
                    Timestamps.utc(at),
                    report.map(r -> new JsonObject(write(r))).orElse(null),
                    error.orElse(null))))
        .replaceWithVoid();
  }

  public Uni<Optional<Drill>> find(String group, long id) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM failover.drill WHERE group_name = $1 AND id = $2")
        .execute(Tuple.of(group, id))
        .map(this::first);
  }

  /** Up to {@code limit} drills of {@code group} older than {@code beforeId}, newest first. */
  public Uni<List<Drill>> page(String group, Optional<Long> beforeId, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM failover.drill WHERE group_name = $1 AND id < $2"
                + " ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(group, beforeId.orElse(Long.MAX_VALUE), limit))
        .map(this::all);
  }

  private Optional<Drill> first(RowSet<Row> rows) {
    return all(rows).stream().findFirst();
  }

  private List<Drill> all(RowSet<Row> rows) {
    List<Drill> drills = new ArrayList<>();
    rows.forEach(row -> drills.add(drill(row)));
    return drills;
  }

  private Drill drill(Row row) {
    return new Drill(
        row.getLong("id"),
        row.getString("group_name"),
        DrillKind.fromWire(row.getString("kind")).orElseThrow(),
        DrillState.fromWire(row.getString("state")),
        Timestamps.instant(row.getOffsetDateTime("started_at")),
        Optional.ofNullable(row.getOffsetDateTime("finished_at")).map(Timestamps::instant),
        Optional.ofNullable(row.getString("report")).map(this::read),
        Optional.ofNullable(row.getString("error")));
  }

  private String write(DrillReport report) {
    try {
      return json.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a drill report", e);
    }
  }

  private DrillReport read(String text) {
    try {
      return json.readValue(text, DrillReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read a stored drill report", e);
    }
  }
}
