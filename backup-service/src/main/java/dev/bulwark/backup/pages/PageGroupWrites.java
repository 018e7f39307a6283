package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.exported.PageCounters;
import dev.bulwark.backup.store.PageBatchStore;
import dev.bulwark.common.problem.DatabaseFailures;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Stores a group of decoded pages, one way for batches and for single pages committed together: the
 * objects not stored yet are written in parallel ({@code batch-parallelism} at a time, so their
 * syncs overlap), then the whole group is indexed in one transaction. Nothing is indexed that is
 * not stored; an object written for a group that then fails is reused by its retry.
 */
@ApplicationScoped
public class PageGroupWrites {

  /** Foreign key violation: an object row was deleted by retention meanwhile. */
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  /**
   * A group as indexed: {@code indexed.get(i)} is the row of {@code sent.get(i)}, or the row of an
   * earlier fetch of the same URL and time (a retried request, maybe of other content).
   */
  record Indexed(List<Page> sent, List<Page> indexed, Set<String> written) {

    /** The row indexed for {@code i} holds other content than was sent: a conflicting fetch. */
    boolean conflicts(int i) {
      return !indexed.get(i).object().sha256().equals(sent.get(i).object().sha256());
    }
  }

  private final PageBatchStore store;
  private final PageDictionaries dictionaries;
  private final PageObjectWrites writes;
  private final PageCounters counters;
  private final PagesConfig config;
  private final Clock clock;

  public PageGroupWrites(
      PageBatchStore store,
      PageDictionaries dictionaries,
      PageObjectWrites writes,
      PageCounters counters,
      PagesConfig config,
      Clock clock) {
    this.store = store;
    this.dictionaries = dictionaries;
    this.writes = writes;
    this.counters = counters;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Stores {@code pages}; {@code beforeCommit} sees the group as indexed before its commit, and
   * what it throws rolls the whole group back.
   */
  Uni<Indexed> store(List<DecodedPage> pages, Consumer<Indexed> beforeCommit) {
    return store(pages, beforeCommit, true);
  }

  private Uni<Indexed> store(
      List<DecodedPage> pages, Consumer<Indexed> beforeCommit, boolean mayRetry) {
    List<String> shas = pages.stream().map(DecodedPage::sha256).distinct().toList();
    return store
        .objects(shas)
        .chain(
            existing ->
                dictionaries
                    .newestId()
                    .chain(dictionary -> putMissing(pages, existing, dictionary))
                    .chain(written -> index(pages, existing, written, beforeCommit)))
        .onFailure(f -> mayRetry && DatabaseFailures.hasSqlState(f, FOREIGN_KEY_VIOLATION))
        .recoverWithUni(() -> store(pages, beforeCommit, false));
  }

  /**
   * Counts page {@code i} of a committed group and answers it: only the first page of an object
   * written now is new; repeats in the group and retried requests share it.
   */
  StoredPage answer(Indexed group, int i, Set<String> firstWrites) {
    Page page = group.indexed().get(i);
    boolean retried = !page.id().equals(group.sent().get(i).id());
    boolean newObject =
        !retried
            && group.written().contains(page.object().sha256())
            && firstWrites.add(page.object().sha256());
    if (!retried) {
      counters.ingested(!newObject);
    }
    return new StoredPage(page, !newObject);
  }

  /** Answers every page of a committed group in which none conflicts. */
  List<StoredPage> answers(Indexed group) {
    Set<String> firstWrites = new HashSet<>();
    List<StoredPage> stored = new ArrayList<>(group.sent().size());
    for (int i = 0; i < group.sent().size(); i++) {
      stored.add(answer(group, i, firstWrites));
    }
    return stored;
  }

  private Uni<Map<String, PageObject>> putMissing(
      List<DecodedPage> pages, Map<String, PageObject> existing, Optional<Long> dictionary) {
    Map<String, byte[]> missing = new LinkedHashMap<>();
    for (DecodedPage page : pages) {
      if (!existing.containsKey(page.sha256())) {
        missing.putIfAbsent(page.sha256(), page.html());
      }
    }
    if (missing.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<Uni<PageObject>> puts =
        missing.entrySet().stream()
            .map(e -> blocking(() -> writes.put(e.getValue(), e.getKey(), dictionary)))
            .toList();
    // Every write ends before the group does: a failure does not leave others running unseen
    // (and their failures dropped into the log); the group fails with the first failure.
    return Uni.join()
        .all(puts)
        .usingConcurrencyOf(config.batchParallelism())
        .andCollectFailures()
        .onFailure(CompositeException.class)
        .transform(f -> ((CompositeException) f).getCauses().get(0))
        .map(
            objects -> {
              Map<String, PageObject> written = new HashMap<>();
              objects.forEach(o -> written.put(o.sha256(), o));
              return written;
            });
  }

  private Uni<Indexed> index(
      List<DecodedPage> decoded,
      Map<String, PageObject> existing,
      Map<String, PageObject> written,
      Consumer<Indexed> beforeCommit) {
    List<Page> pages = new ArrayList<>(decoded.size());
    for (DecodedPage d : decoded) {
      PageObject object =
          written.containsKey(d.sha256()) ? written.get(d.sha256()) : existing.get(d.sha256());
      if (object == null) {
        throw new IllegalStateException(
            "the object " + d.sha256() + " of " + d.upload().url().url() + " was not stored");
      }
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
    Set<String> writtenShas = Set.copyOf(written.keySet());
    return store
        .insert(
            pages,
            List.copyOf(written.values()),
            indexed -> beforeCommit.accept(new Indexed(pages, indexed, writtenShas)))
        .map(indexed -> new Indexed(pages, indexed, writtenShas));
  }

  /** Storage, compression and hashing block: off the event loop. */
  static <T> Uni<T> blocking(Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
