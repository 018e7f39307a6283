package dev.bulwark.metrics.store;

import dev.bulwark.common.time.Timestamps;
import dev.bulwark.metrics.pipeline.PipelineRun;
import dev.bulwark.metrics.pipeline.RunStatus;
import dev.bulwark.metrics.pipeline.RunSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for pipeline runs. */
@ApplicationScoped
public class PipelineRunStore {

  private static final String COLUMNS = "id, started_at, finished_at, status, counts";

  private final Pool pool;

  public PipelineRunStore(Pool pool) {
    this.pool = pool;
  }

  public Uni<PipelineRun> start(UUID id, Instant startedAt) {
    return pool.preparedQuery(
            "INSERT INTO metrics.pipeline_run (id, started_at, status) VALUES ($1, $2, 'running')"
                + " RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, Timestamps.utc(startedAt)))
        .map(rows -> from(rows.iterator().next()));
  }

  /** Finishes a running run; empty when it is unknown or no longer running. */
  public Uni<Optional<PipelineRun>> finish(
      UUID id, RunStatus status, Instant finishedAt, Map<String, Long> counts) {
    return pool.preparedQuery(
            "UPDATE metrics.pipeline_run SET status = $2, finished_at = $3, counts = $4"
                + " WHERE id = $1 AND status = 'running' RETURNING "
                + COLUMNS)
        .execute(
            Tuple.of(
                id,
                status.wire(),
                Timestamps.utc(finishedAt),
                new JsonObject(new LinkedHashMap<String, Object>(counts))))
        .map(PipelineRunStore::first);
  }

  public Uni<Optional<PipelineRun>> find(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM metrics.pipeline_run WHERE id = $1")
        .execute(Tuple.of(id))
        .map(PipelineRunStore::first);
  }

  /** The most recent runs first. */
  public Uni<List<PipelineRun>> recent(int limit) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM metrics.pipeline_run ORDER BY started_at DESC LIMIT $1")
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<PipelineRun> runs = new ArrayList<>();
              rows.forEach(row -> runs.add(from(row)));
              return runs;
            });
  }

  /** Last success, last duration, runs in progress, and a success in {@code (from, to]}. */
  public Uni<RunSummary> summary(Instant windowFrom, Instant windowTo) {
    return pool.preparedQuery(
            """
            SELECT (SELECT max(finished_at) FROM metrics.pipeline_run WHERE status = 'succeeded') AS last_success,
                   (SELECT (extract(epoch FROM finished_at - started_at) * 1000000)::bigint FROM metrics.pipeline_run
                     WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1) AS last_duration_us,
                   (SELECT count(*) FROM metrics.pipeline_run WHERE status = 'running') AS running,
                   EXISTS (SELECT 1 FROM metrics.pipeline_run WHERE status = 'succeeded'
                            AND finished_at > $1 AND finished_at <= $2) AS on_time,
                   EXISTS (SELECT 1 FROM metrics.pipeline_run) AS any_run""")
        .execute(Tuple.of(Timestamps.utc(windowFrom), Timestamps.utc(windowTo)))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new RunSummary(
                  Optional.ofNullable(row.getOffsetDateTime("last_success"))
                      .map(Timestamps::instant),
                  Optional.ofNullable(row.getLong("last_duration_us"))
                      .map(micros -> Duration.of(micros, ChronoUnit.MICROS)),
                  row.getLong("running"),
                  row.getBoolean("on_time"),
                  row.getBoolean("any_run"));
            });
  }

  private static Optional<PipelineRun> first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Optional.of(from(rows.iterator().next())) : Optional.empty();
  }

  private static PipelineRun from(Row row) {
    Map<String, Long> counts = new LinkedHashMap<>();
    row.getJsonObject("counts")
        .forEach(e -> counts.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return new PipelineRun(
        row.getUUID("id"),
        Timestamps.instant(row.getOffsetDateTime("started_at")),
        Optional.ofNullable(row.getOffsetDateTime("finished_at")).map(Timestamps::instant),
        RunStatus.fromWire(row.getString("status")),
        counts);
  }
}
