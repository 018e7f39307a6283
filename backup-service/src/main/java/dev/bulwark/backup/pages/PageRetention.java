package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.exported.PageCounters;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.store.DictionaryStore;
import dev.bulwark.backup.store.PageStore;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Deletes pages fetched longer ago than {@code bulwark.backup.pages.retention}, except those of a
 * lead under legal hold, on one replica at a time. Index rows go first, then the objects no
 * remaining row refers to (identical fetches share one), then dictionaries no object uses and that
 * are not the newest; so a crash midway leaves unreferenced objects, which the next run deletes,
 * and never an index row without its object.
 */
@ApplicationScoped
public class PageRetention {

  /** The job's name in logs and job metrics. */
  public static final String JOB = "archive-pages-retention";

  static final int BATCH = 1000;

  private final ObjectStorage storage;
  private final PageStore pages;
  private final DictionaryStore dictionaryStore;
  private final PageDictionaries dictionaries;
  private final PageCounters counters;
  private final PagesConfig config;
  private final Jobs jobs;
  private final Clock clock;

  public PageRetention(
      ObjectStorage storage,
      PageStore pages,
      DictionaryStore dictionaryStore,
      PageDictionaries dictionaries,
      PageCounters counters,
      PagesConfig config,
      Jobs jobs,
      Clock clock) {
    this.storage = storage;
    this.pages = pages;
    this.dictionaryStore = dictionaryStore;
    this.dictionaries = dictionaries;
    this.counters = counters;
    this.config = config;
    this.jobs = jobs;
    this.clock = clock;
  }

  @Scheduled(
      every = "${bulwark.backup.pages.retention-every}",
      delayed = "${bulwark.backup.pages.jobs-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return jobs.onOneReplica(JOB, this::run);
  }

  public Uni<PageRetentionRun> run() {
    Instant before = clock.instant().minus(config.retention());
    return expire(before, new PageRetentionRun(0, 0, 0))
        .chain(run -> pages.orphans(BATCH).chain(this::dropObjects).map(n -> run.plus(objects(n))))
        .chain(run -> dropDictionaries().map(n -> run.plus(new PageRetentionRun(0, 0, n))));
  }

  private Uni<PageRetentionRun> expire(Instant before, PageRetentionRun sofar) {
    return pages
        .expire(before, BATCH)
        .chain(
            shas -> {
              if (shas.isEmpty()) {
                return Uni.createFrom().item(sofar);
              }
              counters.retentionDeleted(shas.size());
              Uni<PageRetentionRun> run =
                  dropObjects(shas).map(n -> sofar.plus(new PageRetentionRun(shas.size(), n, 0)));
              return shas.size() < BATCH ? run : run.chain(next -> expire(before, next));
            });
  }

  private Uni<Integer> dropObjects(List<String> shas) {
    if (shas.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return pages
        .dropUnreferenced(shas)
        .chain(
            gone ->
                blocking(
                    () -> {
                      gone.forEach(sha -> storage.delete(PageObject.keyOf(sha)));
                      return gone.size();
                    }));
  }

  private Uni<Integer> dropDictionaries() {
    return dictionaryStore
        .dropUnused()
        .chain(
            ids ->
                blocking(
                    () -> {
                      for (long id : ids) {
                        storage.delete(TrainedDictionary.keyOf(id));
                        dictionaries.forget(id);
                      }
                      return ids.size();
                    }));
  }

  private static PageRetentionRun objects(int n) {
    return new PageRetentionRun(0, n, 0);
  }

  private static <T> Uni<T> blocking(java.util.function.Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
