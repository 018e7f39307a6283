package dev.bulwark.backup.pages;

import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.backup.store.DictionaryStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages' dictionaries, read from storage ({@code archive/dictionaries/<id>.dict}) once and kept
 * in memory. Which one is newest is read from the database at most every {@link #NEWEST_TTL}, so a
 * dictionary another replica trained is used here soon after.
 */
@ApplicationScoped
public class PageDictionaries {

  static final Duration NEWEST_TTL = Duration.ofSeconds(10);

  private record Newest(Optional<Long> id, Instant readAt) {}

  private final ObjectStorage storage;
  private final DictionaryStore store;
  private final Clock clock;
  private final Map<Long, ZstdDictionary> loaded = new ConcurrentHashMap<>();
  private volatile Newest newest;

  public PageDictionaries(ObjectStorage storage, DictionaryStore store, Clock clock) {
    this.storage = storage;
    this.store = store;
    this.clock = clock;
  }

  /** The id of the dictionary new pages use, if one was trained. */
  public Uni<Optional<Long>> newestId() {
    Newest known = newest;
    Instant now = clock.instant();
    if (known != null
        && known.readAt().plus(NEWEST_TTL).isAfter(now)
        && !known.readAt().isAfter(now)) {
      return Uni.createFrom().item(known.id());
    }
    return store
        .newest()
        .map(
            d -> {
              Optional<Long> id = d.map(TrainedDictionary::id);
              newest = new Newest(id, now);
              return id;
            });
  }

  /** Forgets which dictionary is newest (after a training here). */
  public void refresh() {
    newest = null;
  }

  /** The dictionary of {@code id}, read from storage the first time (blocking). */
  public ZstdDictionary get(long id) {
    return loaded.computeIfAbsent(
        id,
        key -> {
          try (InputStream in = storage.get(TrainedDictionary.keyOf(key))) {
            return new ZstdDictionary(key, in.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Keeps a dictionary just stored, so that its first use does not read it back. */
  void loaded(ZstdDictionary dictionary) {
    loaded.put(dictionary.id(), dictionary);
  }

  void forget(long id) {
    loaded.remove(id);
  }
}
