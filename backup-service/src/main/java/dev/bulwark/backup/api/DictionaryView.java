package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.TrainedDictionary;
import java.time.Instant;

/** A trained dictionary and how it did on its held-out sample against plain zstd. */
public record DictionaryView(
    long id,
    int sizeBytes,
    int samplePages,
    long plainBytes,
    long dictionaryBytes,
    Instant createdAt) {

  static DictionaryView of(TrainedDictionary d) {
    return new DictionaryView(
        d.id(), d.sizeBytes(), d.samplePages(), d.plainBytes(), d.dictionaryBytes(), d.createdAt());
  }
}
