package dev.bulwark.backup.crypto;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * An age stream that failed to decrypt or authenticate, with the reason and, for payload failures,
 * the chunk (0-based, 64 KiB of plaintext each) where it failed.
 */
public final class AgeDecryptionException extends IOException {

  private final AgeDecryptionFailure failure;
  private final OptionalLong chunk;

  AgeDecryptionException(AgeDecryptionFailure failure, String message) {
    super(message);
    this.failure = failure;
    this.chunk = OptionalLong.empty();
  }

  AgeDecryptionException(AgeDecryptionFailure failure, long chunk, String message) {
    super("chunk " + chunk + ": " + message);
    this.failure = failure;
    this.chunk = OptionalLong.of(chunk);
  }

  public AgeDecryptionFailure failure() {
    return failure;
  }

  /** The chunk index where the payload failed; empty for header failures. */
  public OptionalLong chunk() {
    return chunk;
  }
}
