package dev.bulwark.backup.pages;

import dev.bulwark.backup.storage.ObjectKey;
import java.time.Instant;
import java.util.Optional;

/**
 * The stored form of one distinct HTML content: a zstd frame under a key made of its SHA-256,
 * compressed with a trained dictionary ({@code dictionaryId}) or without.
 */
public record PageObject(
    String sha256,
    long rawBytes,
    long storedBytes,
    Optional<Long> dictionaryId,
    int level,
    Instant createdAt,
    Optional<Instant> recompactedAt) {

  public ObjectKey key() {
    return keyOf(sha256);
  }

  public static ObjectKey keyOf(String sha256) {
    return ObjectKey.of("archive/pages/" + sha256.substring(0, 2) + "/" + sha256 + ".zst");
  }
}
