package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.exported.PageCounters;
import dev.bulwark.backup.store.PageBatchStore;
import dev.bulwark.common.problem.DatabaseFailures;
import dev.bulwark.common.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Archiving many fetched pages at once, all or nothing: every page is decoded and checked first,
 * the new objects are written to storage in parallel (their syncs overlap), then the whole batch is
 * indexed in one transaction. As for one page, nothing is indexed that is not stored; an object
 * written for a batch that then fails is reused by its retry.
 */
@ApplicationScoped
public class PageBatches {

  /** Foreign key violation: an object row was deleted by retention meanwhile. */
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private record Decoded(PageUpload upload, byte[] html, String sha256) {}

  private final PageBatchStore store;
  private final PageDictionaries dictionaries;
  private final PageCounters counters;
  private final PageObjectWrites writes;
  private final PagesConfig config;
  private final Clock clock;

  public PageBatches(
      PageBatchStore store,
      PageDictionaries dictionaries,
      PageCounters counters,
      PageObjectWrites writes,
      PagesConfig config,
      Clock clock) {
    this.store = store;
    this.dictionaries = dictionaries;
    this.counters = counters;
    this.writes = writes;
    this.config = config;
    this.clock = clock;
  }

  public int maxBatchPages() {
    return config.maxBatchPages();
  }

  public long maxPageSize() {
    return config.maxPageSize().asLongValue();
  }

  /** Stores {@code uploads} whole or not at all; the answer lists them in the order given. */
  public Uni<List<StoredPage>> store(List<PageUpload> uploads) {
    if (uploads.isEmpty()) {
      throw new PageBatchProblems.EmptyBatch();
    }
    if (uploads.size() > config.maxBatchPages()) {
      throw new PageBatchProblems.BatchTooLarge(uploads.size(), config.maxBatchPages());
    }
    return blocking(() -> decode(uploads)).chain(decoded -> store(decoded, true));
  }

  private List<Decoded> decode(List<PageUpload> uploads) {
    long limit = maxPageSize();
    List<Decoded> decoded = new ArrayList<>(uploads.size());
    Map<String, Integer> firstOfFetch = new HashMap<>();
    for (int i = 0; i < uploads.size(); i++) {
      PageUpload upload = uploads.get(i);
      byte[] html;
      try {
        if (upload.body().length > limit) {
          throw new PageTooLarge("the body", limit);
        }
        html = PageCodec.decode(upload.encoding(), upload.body(), limit);
      } catch (ProblemException e) {
        throw PageBatchProblems.at(i, e, limit);
      }
      Decoded page = new Decoded(upload, html, PageCodec.sha256(html));
      String fetch = upload.url().url() + "\n" + upload.fetchedAt().truncatedTo(ChronoUnit.MICROS);
      Integer first = firstOfFetch.putIfAbsent(fetch, i);
      if (first != null && !decoded.get(first).sha256().equals(page.sha256())) {
        throw new PageBatchProblems.RepeatedFetch(i, first);
      }
      decoded.add(page);
    }
    return decoded;
  }

  private Uni<List<StoredPage>> store(List<Decoded> decoded, boolean mayRetry) {
    List<String> shas = decoded.stream().map(Decoded::sha256).distinct().toList();
    return store
        .objects(shas)
        .chain(
            existing ->
                dictionaries
                    .newestId()
                    .chain(dictionary -> putMissing(decoded, existing, dictionary))
                    .chain(written -> index(decoded, existing, written)))
        .onFailure(f -> mayRetry && DatabaseFailures.hasSqlState(f, FOREIGN_KEY_VIOLATION))
        .recoverWithUni(() -> store(decoded, false));
  }

  /** Writes the objects not stored yet, {@code batch-parallelism} at a time. */
  private Uni<Map<String, PageObject>> putMissing(
      List<Decoded> decoded, Map<String, PageObject> existing, Optional<Long> dictionary) {
    Map<String, byte[]> missing = new LinkedHashMap<>();
    for (Decoded page : decoded) {
      if (!existing.containsKey(page.sha256())) {
        missing.putIfAbsent(page.sha256(), page.html());
      }
    }
    if (missing.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return Multi.createFrom()
        .iterable(missing.entrySet())
        .onItem()
        .transformToUni(e -> blocking(() -> writes.put(e.getValue(), e.getKey(), dictionary)))
        .merge(config.batchParallelism())
        .collect()
        .asMap(PageObject::sha256);
  }

  private Uni<List<StoredPage>> index(
      List<Decoded> decoded, Map<String, PageObject> existing, Map<String, PageObject> written) {
    List<Page> pages = new ArrayList<>(decoded.size());
    for (Decoded d : decoded) {
      PageObject object =
          written.containsKey(d.sha256()) ? written.get(d.sha256()) : existing.get(d.sha256());
      PageUpload upload = d.upload();
      pages.add(
          new Page(
              UUID.randomUUID(),
              upload.url().url(),
              upload.url().host(),
              upload.fetchedAt(),
              upload.httpStatus(),
              upload.contentType(),
              upload.leadId(),
              clock.instant(),
              object));
    }
    return store
        .insert(pages, List.copyOf(written.values()), indexed -> checkSameContent(pages, indexed))
        .map(indexed -> answer(pages, indexed, written));
  }

  /** A fetch already archived with other content refuses the batch (before its commit). */
  private static void checkSameContent(List<Page> sent, List<Page> indexed) {
    for (int i = 0; i < sent.size(); i++) {
      if (!indexed.get(i).object().sha256().equals(sent.get(i).object().sha256())) {
        throw new PageConflict(sent.get(i).url(), sent.get(i).fetchedAt());
      }
    }
  }

  private List<StoredPage> answer(
      List<Page> sent, List<Page> indexed, Map<String, PageObject> written) {
    List<StoredPage> stored = new ArrayList<>(sent.size());
    java.util.Set<String> firstWrite = new java.util.HashSet<>();
    for (int i = 0; i < sent.size(); i++) {
      Page page = indexed.get(i);
      boolean retried = !page.id().equals(sent.get(i).id());
      // Only the first page of an object written now counts as new; repeats in the batch share it.
      boolean newObject =
          !retried
              && written.containsKey(page.object().sha256())
              && firstWrite.add(page.object().sha256());
      if (!retried) {
        counters.ingested(!newObject);
      }
      stored.add(new StoredPage(page, !newObject));
    }
    return stored;
  }

  /** Storage, compression and hashing block: off the event loop. */
  private static <T> Uni<T> blocking(Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
