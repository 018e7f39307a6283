package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.store.PageStore;
import dev.bulwark.common.api.CursorText;
import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.common.problem.InvalidParameter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Archiving fetched pages and reading them back. A page's object is stored before its index row, so
 * nothing is indexed that is not stored; content already stored only gets an index row. Single
 * pages are stored in groups ({@link PageGroupCommit}).
 */
@ApplicationScoped
public class Pages {

  private static final String CURSOR_VERSION = "pages1";

  private final ObjectStorage storage;
  private final PageStore store;
  private final PageDictionaries dictionaries;
  private final PageGroupCommit groupCommit;
  private final PagesConfig config;
  private final Clock clock;

  public Pages(
      ObjectStorage storage,
      PageStore store,
      PageDictionaries dictionaries,
      PageGroupCommit groupCommit,
      PagesConfig config,
      Clock clock) {
    this.storage = storage;
    this.store = store;
    this.dictionaries = dictionaries;
    this.groupCommit = groupCommit;
    this.config = config;
    this.clock = clock;
  }

  public long maxPageSize() {
    return config.maxPageSize().asLongValue();
  }

  /** Archives one fetch, stored together with the fetches sent at the same time. */
  public Uni<StoredPage> store(PageUpload upload) {
    return blocking(() -> DecodedPage.of(upload, maxPageSize())).chain(groupCommit::store);
  }

  public Uni<Page> byId(UUID id) {
    return store
        .byId(id)
        .map(p -> p.orElseThrow(() -> new PageNotFound("no archived page has id " + id)));
  }

  /** The fetches of {@code url}, newest first, a page of {@code limit} after {@code cursor}. */
  public Uni<PageVersions> versions(PageUrl url, Optional<String> cursor, int limit) {
    Optional<Page.Position> after = cursor.map(Pages::position);
    return store
        .versions(url.url(), after, KeysetPage.rowsToRead(limit))
        .map(
            rows -> {
              KeysetPage<Page, String> page =
                  KeysetPage.of(rows, limit, last -> cursor(last.position()));
              return new PageVersions(page.items(), page.next());
            });
  }

  /** The newest fetch of {@code url} at or before {@code asOf} (now when empty). */
  public Uni<Page> asOf(PageUrl url, Optional<Instant> asOf) {
    Instant at = asOf.orElseGet(clock::instant);
    return store
        .asOf(url.url(), at)
        .map(
            p ->
                p.orElseThrow(
                    () -> new PageNotFound("no page of " + url.url() + " was fetched by " + at)));
  }

  /**
   * The raw HTML of page {@code id}, encoded for a client that accepts {@code accepted}: the stored
   * zstd frame itself when it needs no dictionary and the client takes zstd, else gzip, else as is.
   */
  public Uni<PageHtml> html(UUID id, List<ContentEncoding> accepted) {
    return byId(id).chain(page -> blocking(() -> html(page, accepted)));
  }

  private PageHtml html(Page page, List<ContentEncoding> accepted) {
    byte[] frame;
    try (InputStream in = storage.get(page.object().key())) {
      frame = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (accepted.contains(ContentEncoding.ZSTD) && PageCodec.dictionaryId(frame).isEmpty()) {
      return new PageHtml(page, frame, ContentEncoding.ZSTD);
    }
    byte[] html = PageCodec.decompress(frame, page.object().rawBytes(), dictionaries::get);
    return accepted.contains(ContentEncoding.GZIP)
        ? new PageHtml(page, PageCodec.gzip(html), ContentEncoding.GZIP)
        : new PageHtml(page, html, ContentEncoding.IDENTITY);
  }

  private static String cursor(Page.Position position) {
    return CursorText.encode(
        CURSOR_VERSION, position.fetchedAt().toString(), position.id().toString());
  }

  private static Page.Position position(String cursor) {
    List<String> fields =
        CursorText.decode(cursor, CURSOR_VERSION, 2).orElseThrow(() -> notACursor(cursor));
    try {
      return new Page.Position(Instant.parse(fields.get(0)), UUID.fromString(fields.get(1)));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw notACursor(cursor);
    }
  }

  private static InvalidParameter notACursor(String cursor) {
    return new InvalidParameter("cursor", cursor, "a cursor this API returned as nextCursor");
  }

  /** Storage and compression block: off the event loop. */
  private static <T> Uni<T> blocking(java.util.function.Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
