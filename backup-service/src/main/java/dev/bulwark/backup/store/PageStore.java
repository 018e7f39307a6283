package dev.bulwark.backup.store;

import static dev.bulwark.common.time.Timestamps.instant;
import static dev.bulwark.common.time.Timestamps.utc;

import dev.bulwark.backup.pages.Page;
import dev.bulwark.backup.pages.PageObject;
import dev.bulwark.backup.pages.PageTotals;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of the archive's pages: the index ({@code pages}) and its objects ({@code page_objects}). */
@ApplicationScoped
public class PageStore {

  static final String PAGE_COLUMNS =
      """
      p.id, p.url, p.host, p.fetched_at, p.http_status, p.content_type, p.lead_id, p.stored_at,
      o.sha256, o.raw_bytes, o.stored_bytes, o.dictionary_id, o.level, o.created_at, o.recompacted_at
      """;

  private final Pool pool;

  public PageStore(Pool pool) {
    this.pool = pool;
  }

  public Uni<Optional<Page>> byId(UUID id) {
    return pool.preparedQuery(
            "SELECT "
                + PAGE_COLUMNS
                + " FROM backup.pages p JOIN backup.page_objects o USING (sha256) WHERE p.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.stream().findFirst().map(PageStore::page));
  }

  /** Fetches of {@code url}, newest first, after the keyset position {@code after} if given. */
  public Uni<List<Page>> versions(String url, Optional<Page.Position> after, int limit) {
    return pool.preparedQuery(
            "SELECT "
                + PAGE_COLUMNS
                + """
                  FROM backup.pages p JOIN backup.page_objects o USING (sha256)
                 WHERE p.url = $1
                   AND ($2::timestamptz IS NULL OR (p.fetched_at, p.id) < ($2, $3))
                 ORDER BY p.fetched_at DESC, p.id DESC
                 LIMIT $4
                """)
        .execute(
            Tuple.tuple(
                Arrays.asList(
                    url,
                    after.map(a -> utc(a.fetchedAt())).orElse(null),
                    after.map(Page.Position::id).orElse(null),
                    limit)))
        .map(rows -> rows.stream().map(PageStore::page).toList());
  }

  /** The newest fetch of {@code url} at or before {@code asOf}. */
  public Uni<Optional<Page>> asOf(String url, Instant asOf) {
    return pool.preparedQuery(
            "SELECT "
                + PAGE_COLUMNS
                + """
                  FROM backup.pages p JOIN backup.page_objects o USING (sha256)
                 WHERE p.url = $1 AND p.fetched_at <= $2
                 ORDER BY p.fetched_at DESC, p.id DESC LIMIT 1
                """)
        .execute(Tuple.of(url, utc(asOf)))
        .map(rows -> rows.stream().findFirst().map(PageStore::page));
  }

  /** The newest objects, for a dictionary's training sample. */
  public Uni<List<PageObject>> newestObjects(int limit) {
    return pool.preparedQuery(
            """
            SELECT sha256, raw_bytes, stored_bytes, dictionary_id, level, created_at, recompacted_at
              FROM backup.page_objects ORDER BY created_at DESC, sha256 LIMIT $1
            """)
        .execute(Tuple.of(limit))
        .map(rows -> rows.stream().map(PageStore::object).toList());
  }

  /** Objects created before {@code before} and not recompacted yet, oldest first. */
  public Uni<List<PageObject>> toRecompact(Instant before, int limit) {
    return pool.preparedQuery(
            """
            SELECT sha256, raw_bytes, stored_bytes, dictionary_id, level, created_at, recompacted_at
              FROM backup.page_objects
             WHERE recompacted_at IS NULL AND created_at < $1
             ORDER BY created_at LIMIT $2
            """)
        .execute(Tuple.of(utc(before), limit))
        .map(rows -> rows.stream().map(PageStore::object).toList());
  }

  public Uni<Void> recompacted(PageObject object) {
    return pool.preparedQuery(
            """
            UPDATE backup.page_objects
               SET stored_bytes = $2, dictionary_id = $3, level = $4, recompacted_at = $5
             WHERE sha256 = $1
            """)
        .execute(
            Tuple.tuple(
                Arrays.asList(
                    object.sha256(),
                    object.storedBytes(),
                    object.dictionaryId().orElse(null),
                    object.level(),
                    utc(object.recompactedAt().orElseThrow()))))
        .replaceWithVoid();
  }

  /**
   * Deletes the pages fetched before {@code before} whose lead is not under legal hold; returns the
   * objects (SHA-256) that they referenced, one per deleted page.
   */
  public Uni<List<String>> expire(Instant before, int limit) {
    return pool.preparedQuery(
            """
            DELETE FROM backup.pages p
             WHERE p.id IN (
               SELECT id FROM backup.pages q
                WHERE q.fetched_at < $1
                  AND NOT EXISTS (SELECT 1 FROM backup.legal_holds h WHERE h.lead_id = q.lead_id)
                LIMIT $2)
            RETURNING p.sha256
            """)
        .execute(Tuple.of(utc(before), limit))
        .map(rows -> rows.stream().map(r -> r.getString(0)).toList());
  }

  /**
   * Deletes the object rows among {@code sha256s} that no page refers to any more and returns them;
   * their objects go next. The rows are locked first so that a page indexed against one meanwhile
   * (its foreign key waits on the lock) either keeps it or fails and stores it again.
   */
  public Uni<List<String>> dropUnreferenced(List<String> sha256s) {
    String[] shas = sha256s.stream().distinct().toArray(String[]::new);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "SELECT sha256 FROM backup.page_objects WHERE sha256 = ANY($1) FOR UPDATE")
                .execute(Tuple.of(shas))
                .chain(
                    () ->
                        conn.preparedQuery(
                                """
                                DELETE FROM backup.page_objects o
                                 WHERE o.sha256 = ANY($1)
                                   AND NOT EXISTS (SELECT 1 FROM backup.pages p
                                                    WHERE p.sha256 = o.sha256)
                                RETURNING o.sha256
                                """)
                            .execute(Tuple.of(shas)))
                .map(rows -> rows.stream().map(r -> r.getString(0)).toList()));
  }

  /** Objects whose pages were all deleted but which are still indexed (a run that died midway). */
  public Uni<List<String>> orphans(int limit) {
    return pool.preparedQuery(
            """
            SELECT o.sha256 FROM backup.page_objects o
             WHERE NOT EXISTS (SELECT 1 FROM backup.pages p WHERE p.sha256 = o.sha256)
             LIMIT $1
            """)
        .execute(Tuple.of(limit))
        .map(rows -> rows.stream().map(r -> r.getString(0)).toList());
  }

  public Uni<PageTotals> totals() {
    return pool.query(
            """
            SELECT count(*), coalesce(sum(raw_bytes), 0), coalesce(sum(stored_bytes), 0)
              FROM backup.page_objects
            """)
        .execute()
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new PageTotals(row.getLong(0), row.getLong(1), row.getLong(2));
            });
  }

  static Page page(Row row) {
    return new Page(
        row.getUUID("id"),
        row.getString("url"),
        row.getString("host"),
        instant(row.getOffsetDateTime("fetched_at")),
        row.getInteger("http_status"),
        Optional.ofNullable(row.getString("content_type")),
        Optional.ofNullable(row.getString("lead_id")),
        instant(row.getOffsetDateTime("stored_at")),
        object(row));
  }

  static PageObject object(Row row) {
    return new PageObject(
        row.getString("sha256"),
        row.getLong("raw_bytes"),
        row.getLong("stored_bytes"),
        Optional.ofNullable(row.getLong("dictionary_id")),
        row.getInteger("level"),
        instant(row.getOffsetDateTime("created_at")),
        Optional.ofNullable(instant(row.getOffsetDateTime("recompacted_at"))));
  }
}
