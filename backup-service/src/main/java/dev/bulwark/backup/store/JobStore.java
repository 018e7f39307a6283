package dev.bulwark.backup.store;

import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobState;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.common.problem.DatabaseFailures;
import dev.bulwark.common.time.Timestamps;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL for background jobs. */
@ApplicationScoped
public class JobStore {

  private static final String COLUMNS =
      "id, kind, subject, backup_id, state, trigger, attempt, progress, result, error, created_at,"
          + " finished_at, heartbeat_at";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public JobStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records a new running job, unless another job with its exclusive key is running: then empty. A
   * running job with that key whose heartbeat is older than {@code abandonedBefore} was left by a
   * replica that stopped; it is failed first.
   */
  public Uni<Optional<BackupJob>> insert(
      UUID id,
      JobKind kind,
      String subject,
      Optional<String> backupId,
      String exclusiveKey,
      JobTrigger trigger,
      Instant now,
      Instant abandonedBefore) {
    return pool.withTransaction(
            connection ->
                connection
                    .preparedQuery(
                        "UPDATE backup.job SET state = 'failed', finished_at = $2, error = $3"
                            + " WHERE exclusive_key = $1 AND state = 'running' AND heartbeat_at < $4")
                    .execute(
                        Tuple.of(
                            exclusiveKey,
                            Timestamps.utc(now),
                            ABANDONED,
                            Timestamps.utc(abandonedBefore)))
                    .chain(
                        () ->
                            connection
                                .preparedQuery(
                                    "INSERT INTO backup.job (id, kind, subject, backup_id,"
                                        + " exclusive_key, state, trigger, created_at,"
                                        + " heartbeat_at) VALUES ($1, $2, $3, $4, $5, 'running',"
                                        + " $6, $7, $7) RETURNING "
                                        + COLUMNS)
                                .execute(
                                    Tuple.from(
                                        Arrays.asList(
                                            id,
                                            kind.wire(),
                                            subject,
                                            backupId.orElse(null),
                                            exclusiveKey,
                                            trigger.wire(),
                                            Timestamps.utc(now))))))
        .map(JobStore::first)
        .onFailure(f -> DatabaseFailures.hasSqlState(f, UNIQUE_VIOLATION))
        .recoverWithItem(Optional.empty());
  }

  /** The running job holding {@code exclusiveKey}, if any. */
  public Uni<Optional<BackupJob>> runningWithKey(String exclusiveKey) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM backup.job WHERE exclusive_key = $1 AND state = 'running'")
        .execute(Tuple.of(exclusiveKey))
        .map(JobStore::first);
  }

  /**
   * Whether a job of {@code kind} was ever started for backup {@code backupId} of {@code subject}.
   */
  public Uni<Boolean> existsFor(JobKind kind, String subject, String backupId) {
    return pool.preparedQuery(
            "SELECT EXISTS (SELECT 1 FROM backup.job WHERE kind = $1 AND subject = $2"
                + " AND backup_id = $3)")
        .execute(Tuple.of(kind.wire(), subject, backupId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** Renews the heartbeat of the jobs this replica runs. */
  public Uni<Void> heartbeat(List<UUID> ids, Instant now) {
    return pool.preparedQuery(
            "UPDATE backup.job SET heartbeat_at = $2 WHERE id = ANY($1) AND state = 'running'")
        .execute(Tuple.of(ids.toArray(UUID[]::new), Timestamps.utc(now)))
        .replaceWithVoid();
  }

  /** Fails running jobs whose replica stopped renewing them; answers how many. */
  public Uni<Integer> failAbandoned(Instant abandonedBefore, Instant now) {
    return pool.preparedQuery(
            "UPDATE backup.job SET state = 'failed', finished_at = $2, error = $3"
                + " WHERE state = 'running' AND heartbeat_at < $1")
        .execute(Tuple.of(Timestamps.utc(abandonedBefore), Timestamps.utc(now), ABANDONED))
        .map(RowSet::rowCount);
  }

  public Uni<Void> progress(UUID id, int attempt, Map<String, Object> progress, Instant now) {
    return pool.preparedQuery(
            "UPDATE backup.job SET attempt = $2, progress = $3, heartbeat_at = $4"
                + " WHERE id = $1 AND state = 'running'")
        .execute(Tuple.of(id, attempt, new JsonObject(progress), Timestamps.utc(now)))
        .replaceWithVoid();
  }

  /** Ends a running job; empty when it is no longer running (it was failed as abandoned). */
  public Uni<Optional<BackupJob>> finish(
      UUID id,
      JobState state,
      Optional<String> backupId,
      Optional<Map<String, Object>> result,
      Optional<String> error,
      Instant now) {
    return pool.preparedQuery(
            "UPDATE backup.job SET state = $2, backup_id = coalesce($3, backup_id), result = $4,"
                + " error = $5, finished_at = $6, heartbeat_at = $6"
                + " WHERE id = $1 AND state = 'running' RETURNING "
                + COLUMNS)
        .execute(
            Tuple.from(
                Arrays.asList(
                    id,
                    state.wire(),
                    backupId.orElse(null),
                    result.map(JsonObject::new).orElse(null),
                    error.orElse(null),
                    Timestamps.utc(now))))
        .map(JobStore::first);
  }

  public Uni<Optional<BackupJob>> find(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM backup.job WHERE id = $1")
        .execute(Tuple.of(id))
        .map(JobStore::first);
  }

  /**
   * Jobs newest first, optionally of one kind and subject, and older than the job {@code before}
   * (the cursor of the next page).
   */
  public Uni<List<BackupJob>> list(
      Optional<JobKind> kind, Optional<String> subject, Optional<UUID> before, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM backup.job WHERE ($1::text IS NULL OR kind = $1)"
                + " AND ($2::text IS NULL OR subject = $2)"
                + " AND ($3::uuid IS NULL OR (created_at, id) <"
                + " (SELECT created_at, id FROM backup.job WHERE id = $3))"
                + " ORDER BY created_at DESC, id DESC LIMIT $4")
        .execute(
            Tuple.from(
                Arrays.asList(
                    kind.map(JobKind::wire).orElse(null),
                    subject.orElse(null),
                    before.orElse(null),
                    limit)))
        .map(
            rows -> {
              List<BackupJob> jobs = new ArrayList<>();
              rows.forEach(row -> jobs.add(from(row)));
              return jobs;
            });
  }

  static final String ABANDONED =
      "abandoned: the replica running it stopped renewing it (it was stopped or lost the database)";

  private static Optional<BackupJob> first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Optional.of(from(rows.iterator().next())) : Optional.empty();
  }

  private static BackupJob from(Row row) {
    return new BackupJob(
        row.getUUID("id"),
        JobKind.fromWire(row.getString("kind")),
        row.getString("subject"),
        Optional.ofNullable(row.getString("backup_id")),
        JobState.fromWire(row.getString("state")),
        JobTrigger.fromWire(row.getString("trigger")),
        row.getInteger("attempt"),
        Timestamps.instant(row.getOffsetDateTime("created_at")),
        Optional.ofNullable(row.getOffsetDateTime("finished_at")).map(Timestamps::instant),
        Timestamps.instant(row.getOffsetDateTime("heartbeat_at")),
        row.getJsonObject("progress").getMap(),
        Optional.ofNullable(row.getJsonObject("result")).map(JsonObject::getMap),
        Optional.ofNullable(row.getString("error")));
  }
}
