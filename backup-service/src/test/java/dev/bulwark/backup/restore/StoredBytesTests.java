package dev.bulwark.backup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.backup.storage.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StoredBytesTests {

  private static final byte[] OBJECT =
      "a stored object, read, skipped over and read again"
          .repeat(400)
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void skippedBytesAreHashedAndCountedAsRead() throws Exception {
    StoredBytes stored = storedBytes();

    byte[] head = stored.readNBytes(10);
    long skipped = 0;
    while (skipped < 100) {
      skipped += stored.skip(100 - skipped);
    }
    stored.drain();

    assertThat(head).containsExactly(java.util.Arrays.copyOf(OBJECT, 10));
    assertThat(skipped).isEqualTo(100);
    assertThat(stored.count()).isEqualTo(OBJECT.length);
    assertThat(stored.sha256()).isEqualTo(sha256(OBJECT));
  }

  @Test
  void aLargeSkipReadsAtMostOneBufferAndZeroSkipsNothing() throws IOException {
    StoredBytes stored = storedBytes();

    assertThat(stored.skip(0)).isZero();
    assertThat(stored.skip(-5)).isZero();
    assertThat(stored.skip(1_000_000)).isEqualTo(8192);
    assertThat(stored.count()).isEqualTo(8192);
  }

  private static StoredBytes storedBytes() {
    return new StoredBytes(
        new ByteArrayInputStream(OBJECT),
        "file:///stored",
        ObjectKey.of("backups/t/1/dump"),
        new ProgressTracker(RestoreProgress.NONE, OBJECT.length, 0));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
