package dev.bulwark.backup.store;

import dev.bulwark.backup.mirror.CopiedObject;
import dev.bulwark.backup.mirror.MirrorRun;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of bucket mirroring: what each mirror copied ({@code mirror_object}) and its last run. */
@ApplicationScoped
public class MirrorStore {

  private final Pool pool;

  public MirrorStore(Pool pool) {
    this.pool = pool;
  }

  /** What {@code mirror} has copied, by source key. */
  public Uni<Map<String, CopiedObject>> copied(String mirror) {
    return pool.preparedQuery(
            """
            SELECT key, size, etag, last_modified, copied_at
              FROM backup.mirror_object WHERE mirror = $1
            """)
        .execute(Tuple.of(mirror))
        .map(
            rows -> {
              Map<String, CopiedObject> byKey = new HashMap<>();
              for (Row row : rows) {
                CopiedObject object = copiedObject(row);
                byKey.put(object.key(), object);
              }
              return byKey;
            });
  }

  /** Records that {@code object} (as the source showed it) is now at the destination. */
  public Uni<Void> recordCopy(String mirror, CopiedObject object) {
    return pool.preparedQuery(
            """
            INSERT INTO backup.mirror_object (mirror, key, size, etag, last_modified, copied_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (mirror, key) DO UPDATE
              SET size = excluded.size, etag = excluded.etag,
                  last_modified = excluded.last_modified, copied_at = excluded.copied_at
            """)
        .execute(
            Tuple.tuple(
                Arrays.asList(
                    mirror,
                    object.key(),
                    object.size(),
                    object.etag().orElse(null),
                    utc(object.lastModified()),
                    utc(object.copiedAt()))))
        .replaceWithVoid();
  }

  /** Forgets copies of objects that the source no longer has. */
  public Uni<Void> forget(String mirror, Collection<String> keys) {
    if (keys.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return pool.preparedQuery(
            "DELETE FROM backup.mirror_object WHERE mirror = $1 AND key = ANY($2)")
        .execute(Tuple.of(mirror, keys.toArray(String[]::new)))
        .replaceWithVoid();
  }

  /** Records a run; {@code lastSuccessAt} empty keeps the one recorded before. */
  public Uni<Void> recordRun(MirrorRun run) {
    return pool.preparedQuery(
            """
            INSERT INTO backup.mirror_run
              (mirror, started_at, finished_at, last_success_at, failed_objects, pending_objects)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (mirror) DO UPDATE
              SET started_at = excluded.started_at, finished_at = excluded.finished_at,
                  last_success_at = coalesce(excluded.last_success_at, mirror_run.last_success_at),
                  failed_objects = excluded.failed_objects,
                  pending_objects = excluded.pending_objects
            """)
        .execute(
            Tuple.tuple(
                Arrays.asList(
                    run.mirror(),
                    utc(run.startedAt()),
                    utc(run.finishedAt()),
                    run.lastSuccessAt().map(MirrorStore::utc).orElse(null),
                    run.failedObjects(),
                    run.pendingObjects().orElse(null))))
        .replaceWithVoid();
  }

  /** The last run of every mirror that has run. */
  public Uni<List<MirrorRun>> runs() {
    return pool.query(
            """
            SELECT mirror, started_at, finished_at, last_success_at, failed_objects, pending_objects
              FROM backup.mirror_run ORDER BY mirror
            """)
        .execute()
        .map(rows -> rows.stream().map(MirrorStore::mirrorRun).toList());
  }

  /** The last run of {@code mirror}, if it has run. */
  public Uni<Optional<MirrorRun>> run(String mirror) {
    return pool.preparedQuery(
            """
            SELECT mirror, started_at, finished_at, last_success_at, failed_objects, pending_objects
              FROM backup.mirror_run WHERE mirror = $1
            """)
        .execute(Tuple.of(mirror))
        .map(rows -> rows.stream().findFirst().map(MirrorStore::mirrorRun));
  }

  private static CopiedObject copiedObject(Row row) {
    return new CopiedObject(
        row.getString("key"),
        row.getLong("size"),
        Optional.ofNullable(row.getString("etag")),
        row.getOffsetDateTime("last_modified").toInstant(),
        row.getOffsetDateTime("copied_at").toInstant());
  }

  private static MirrorRun mirrorRun(Row row) {
    return new MirrorRun(
        row.getString("mirror"),
        row.getOffsetDateTime("started_at").toInstant(),
        row.getOffsetDateTime("finished_at").toInstant(),
        Optional.ofNullable(row.getOffsetDateTime("last_success_at"))
            .map(OffsetDateTime::toInstant),
        row.getLong("failed_objects"),
        Optional.ofNullable(row.getLong("pending_objects")));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
