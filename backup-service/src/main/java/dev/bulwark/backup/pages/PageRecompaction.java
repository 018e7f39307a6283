package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.store.PageStore;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites page objects older than {@code recompact-after} at a high zstd level with the newest
 * dictionary (slow, so not at ingest), on one replica at a time. The rewrite replaces the object
 * under the same key atomically, so readers see the old frame or the new one, both readable.
 */
@ApplicationScoped
public class PageRecompaction {

  /** The job's name in logs and job metrics. */
  public static final String JOB = "archive-pages-recompaction";

  private final ObjectStorage storage;
  private final PageStore store;
  private final PageDictionaries dictionaries;
  private final PagesConfig config;
  private final Jobs jobs;
  private final Clock clock;

  public PageRecompaction(
      ObjectStorage storage,
      PageStore store,
      PageDictionaries dictionaries,
      PagesConfig config,
      Jobs jobs,
      Clock clock) {
    this.storage = storage;
    this.store = store;
    this.dictionaries = dictionaries;
    this.config = config;
    this.jobs = jobs;
    this.clock = clock;
  }

  @Scheduled(
      every = "${bulwark.backup.pages.recompact-every}",
      delayed = "${bulwark.backup.pages.jobs-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return jobs.onOneReplica(JOB, this::recompact);
  }

  /** Recompacts one batch; returns how many objects it recompacted. */
  public Uni<Integer> recompact() {
    Instant before = clock.instant().minus(config.recompactAfter());
    return dictionaries
        .newestId()
        .chain(
            dictionary ->
                store
                    .toRecompact(before, config.recompactBatch())
                    .onItem()
                    .transformToMulti(objects -> Multi.createFrom().iterable(objects))
                    .onItem()
                    .transformToUniAndConcatenate(
                        object ->
                            Uni.createFrom()
                                .item(() -> rewrite(object, dictionary))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                .call(store::recompacted))
                    .collect()
                    .asList()
                    .map(List::size));
  }

  private PageObject rewrite(PageObject object, Optional<Long> dictionaryId) {
    byte[] frame;
    try (InputStream in = storage.get(object.key())) {
      frame = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] html = PageCodec.decompress(frame, object.rawBytes(), dictionaries::get);
    Optional<ZstdDictionary> dictionary = dictionaryId.map(dictionaries::get);
    byte[] smaller = PageCodec.compress(html, dictionary, config.recompactLevel());
    Optional<Instant> now = Optional.of(clock.instant());
    if (smaller.length >= frame.length) {
      // Nothing gained: keep the object, and do not try it again.
      return new PageObject(
          object.sha256(),
          object.rawBytes(),
          object.storedBytes(),
          object.dictionaryId(),
          object.level(),
          object.createdAt(),
          now);
    }
    try {
      storage.put(object.key(), new ByteArrayInputStream(smaller));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PageObject(
        object.sha256(),
        object.rawBytes(),
        smaller.length,
        dictionaryId,
        config.recompactLevel(),
        object.createdAt(),
        now);
  }
}
