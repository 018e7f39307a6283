package dev.bulwark.backup.store;

import static dev.bulwark.common.time.Timestamps.utc;

import dev.bulwark.backup.pages.Page;
import dev.bulwark.backup.pages.PageObject;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * SQL of pages stored in batches: one statement per table for the whole batch (arrays unnested by
 * PostgreSQL), so a batch costs a few round trips and one commit, not several per page.
 */
@ApplicationScoped
public class PageBatchStore {

  private final Pool pool;

  public PageBatchStore(Pool pool) {
    this.pool = pool;
  }

  /** The stored objects among {@code sha256s}, by SHA-256. */
  public Uni<Map<String, PageObject>> objects(List<String> sha256s) {
    return pool.preparedQuery(
            """
            SELECT sha256, raw_bytes, stored_bytes, dictionary_id, level, created_at, recompacted_at
              FROM backup.page_objects WHERE sha256 = ANY($1)
            """)
        .execute(Tuple.of(sha256s.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, PageObject> found = new HashMap<>();
              rows.forEach(row -> found.put(row.getString("sha256"), PageStore.object(row)));
              return found;
            });
  }

  /**
   * Indexes {@code pages} and {@code newObjects} (stored just before) in one transaction and
   * returns the pages as indexed, in the order given: a page of the same URL and fetch time already
   * indexed is returned instead (a retried request). {@code beforeCommit} sees them before the
   * commit, and what it throws rolls the whole batch back. Fails with SQLSTATE 23503 when an object
   * row vanished under retention meanwhile.
   */
  public Uni<List<Page>> insert(
      List<Page> pages, List<PageObject> newObjects, Consumer<List<Page>> beforeCommit) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    """
                    INSERT INTO backup.page_objects
                      (sha256, raw_bytes, stored_bytes, dictionary_id, level, created_at)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[],
                                         $5::int[], $6::timestamptz[])
                    ON CONFLICT (sha256) DO NOTHING
                    """)
                .execute(objectColumns(newObjects))
                .chain(
                    () ->
                        conn.preparedQuery(
                                """
                                INSERT INTO backup.pages (id, url, host, fetched_at, http_status,
                                  content_type, lead_id, sha256, stored_at)
                                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[],
                                  $4::timestamptz[], $5::int[], $6::text[], $7::text[], $8::text[],
                                  $9::timestamptz[])
                                ON CONFLICT (url, fetched_at) DO NOTHING
                                """)
                            .execute(pageColumns(pages)))
                .chain(
                    () ->
                        conn.preparedQuery(
                                "SELECT "
                                    + PageStore.PAGE_COLUMNS
                                    + """
                                      FROM unnest($1::text[], $2::timestamptz[]) AS k(url, fetched_at)
                                      JOIN backup.pages p
                                        ON p.url = k.url AND p.fetched_at = k.fetched_at
                                      JOIN backup.page_objects o ON o.sha256 = p.sha256
                                    """)
                            .execute(
                                Tuple.of(
                                    pages.stream().map(Page::url).toArray(String[]::new),
                                    pages.stream()
                                        .map(p -> utc(p.fetchedAt()))
                                        .toArray(OffsetDateTime[]::new))))
                .map(
                    rows -> {
                      Map<String, Page> byKey = new HashMap<>();
                      rows.forEach(
                          row -> {
                            Page page = PageStore.page(row);
                            byKey.put(key(page), page);
                          });
                      List<Page> indexed = new ArrayList<>(pages.size());
                      for (Page page : pages) {
                        indexed.add(
                            Optional.ofNullable(byKey.get(key(page)))
                                .orElseThrow(
                                    () -> new IllegalStateException("not indexed: " + page.url())));
                      }
                      beforeCommit.accept(indexed);
                      return indexed;
                    }));
  }

  /** The unique key of the index: URL and fetch time (to the microsecond, as stored). */
  private static String key(Page page) {
    return page.url() + "\n" + page.fetchedAt().truncatedTo(ChronoUnit.MICROS);
  }

  private static Tuple objectColumns(List<PageObject> objects) {
    return Tuple.tuple(
        Arrays.asList(
            objects.stream().map(PageObject::sha256).toArray(String[]::new),
            objects.stream().map(PageObject::rawBytes).toArray(Long[]::new),
            objects.stream().map(PageObject::storedBytes).toArray(Long[]::new),
            objects.stream().map(o -> o.dictionaryId().orElse(null)).toArray(Long[]::new),
            objects.stream().map(PageObject::level).toArray(Integer[]::new),
            objects.stream().map(o -> utc(o.createdAt())).toArray(OffsetDateTime[]::new)));
  }

  private static Tuple pageColumns(List<Page> pages) {
    return Tuple.tuple(
        Arrays.asList(
            pages.stream().map(Page::id).toArray(UUID[]::new),
            pages.stream().map(Page::url).toArray(String[]::new),
            pages.stream().map(Page::host).toArray(String[]::new),
            pages.stream().map(p -> utc(p.fetchedAt())).toArray(OffsetDateTime[]::new),
            pages.stream().map(Page::httpStatus).toArray(Integer[]::new),
            pages.stream().map(p -> p.contentType().orElse(null)).toArray(String[]::new),
            pages.stream().map(p -> p.leadId().orElse(null)).toArray(String[]::new),
            pages.stream().map(p -> p.object().sha256()).toArray(String[]::new),
            pages.stream().map(p -> utc(p.storedAt())).toArray(OffsetDateTime[]::new)));
  }
}
