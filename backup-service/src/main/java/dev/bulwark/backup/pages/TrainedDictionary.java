package dev.bulwark.backup.pages;

import dev.bulwark.backup.storage.ObjectKey;
import java.time.Instant;

/**
 * A zstd dictionary trained on stored pages and kept because it beat plain zstd on a held-out part
 * of its sample ({@code dictionaryBytes} against {@code plainBytes}).
 */
public record TrainedDictionary(
    long id,
    int sizeBytes,
    int samplePages,
    long plainBytes,
    long dictionaryBytes,
    Instant createdAt) {

  public static ObjectKey keyOf(long id) {
    return ObjectKey.of("archive/dictionaries/" + id + ".dict");
  }
}
