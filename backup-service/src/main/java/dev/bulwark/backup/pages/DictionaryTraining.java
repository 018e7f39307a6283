package dev.bulwark.backup.pages;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdException;
import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.store.DictionaryStore;
import dev.bulwark.backup.store.PageStore;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Trains a zstd dictionary on the newest stored pages, on one replica at a time. It is kept only
 * when it compresses a held-out fifth of the sample smaller than plain zstd does; new pages then
 * use it, while pages written with an older one keep naming theirs in their frames.
 */
@ApplicationScoped
public class DictionaryTraining {

  /** The job's name in logs and job metrics. */
  public static final String JOB = "archive-pages-dictionary";

  /** Objects read at most for one sample, whatever their sizes. */
  private static final int MAX_SAMPLE_PAGES = 20_000;

  private final ObjectStorage storage;
  private final PageStore pages;
  private final DictionaryStore store;
  private final PageDictionaries dictionaries;
  private final PagesConfig config;
  private final Jobs jobs;
  private final Clock clock;

  public DictionaryTraining(
      ObjectStorage storage,
      PageStore pages,
      DictionaryStore store,
      PageDictionaries dictionaries,
      PagesConfig config,
      Jobs jobs,
      Clock clock) {
    this.storage = storage;
    this.pages = pages;
    this.store = store;
    this.dictionaries = dictionaries;
    this.config = config;
    this.jobs = jobs;
    this.clock = clock;
  }

  @Scheduled(
      every = "${bulwark.backup.pages.dictionary.every}",
      delayed = "${bulwark.backup.pages.jobs-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return jobs.onOneReplica(JOB, this::train);
  }

  /** Trains one dictionary; it is returned when it was kept. */
  public Uni<Optional<TrainedDictionary>> train() {
    return pages
        .newestObjects(MAX_SAMPLE_PAGES)
        .chain(
            objects ->
                Uni.createFrom()
                    .item(() -> trainOn(objects))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
        .chain(
            trained ->
                trained.isEmpty()
                    ? Uni.createFrom().item(Optional.<TrainedDictionary>empty())
                    : store
                        .insert(trained.get())
                        .invoke(dictionaries::refresh)
                        .map(inserted -> inserted ? trained : Optional.empty()));
  }

  private Optional<TrainedDictionary> trainOn(List<PageObject> objects) {
    List<byte[]> sample = new ArrayList<>();
    long bytes = 0;
    for (PageObject object : objects) {
      if (bytes >= config.dictionary().sampleSize().asLongValue()) {
        break;
      }
      byte[] html = read(object);
      sample.add(html);
      bytes += html.length;
    }
    if (sample.size() < config.dictionary().minPages()) {
      return Optional.empty();
    }
    // Every fifth page is held out: a dictionary is judged on pages it was not trained on.
    List<byte[]> training = new ArrayList<>();
    List<byte[]> heldOut = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      (i % 5 == 4 ? heldOut : training).add(sample.get(i));
    }
    byte[] dictionary;
    try {
      byte[] buffer = new byte[(int) config.dictionary().size().asLongValue()];
      long size = Zstd.trainFromBuffer(training.toArray(byte[][]::new), buffer);
      dictionary = Arrays.copyOf(buffer, (int) size);
    } catch (ZstdException e) {
      // Too few or too uniform samples: zstd cannot train; try again at the next run.
      return Optional.empty();
    }
    long id = Zstd.getDictIdFromDict(dictionary);
    if (id == 0) {
      return Optional.empty();
    }
    long plain = 0;
    long withDictionary = 0;
    try (ZstdDictCompress compressor = new ZstdDictCompress(dictionary, config.ingestLevel())) {
      for (byte[] html : heldOut) {
        plain += Zstd.compress(html, config.ingestLevel()).length;
        withDictionary += Zstd.compress(html, compressor).length;
      }
    }
    if (withDictionary >= plain) {
      return Optional.empty();
    }
    try {
      storage.put(TrainedDictionary.keyOf(id), new ByteArrayInputStream(dictionary));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dictionaries.loaded(new ZstdDictionary(id, dictionary));
    return Optional.of(
        new TrainedDictionary(
            id, dictionary.length, sample.size(), plain, withDictionary, clock.instant()));
  }

  private byte[] read(PageObject object) {
    try (InputStream in = storage.get(object.key())) {
      return PageCodec.decompress(in.readAllBytes(), object.rawBytes(), dictionaries::get);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
