package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** raw → zstd → age → storage and back, at a size where buffering the whole stream would show. */
class BackupStreamsTests {

  private static final int MIB = 1024 * 1024;
  private static final long PAYLOAD = 50L * MIB;

  @TempDir Path dir;

  private final AgeIdentity identity = AgeKeys.generate();

  @Test
  void fiftyMebibytesRoundTripStreamingWithTotals() throws Exception {
    Path stored = dir.resolve("dump.zst.age");
    MessageDigest rawDigest = MessageDigest.getInstance("SHA-256");
    long storedBeforeTheLastMebibyte;
    long heapGrowthWhileStreaming;
    long heapBefore = heapAfterGc();
    EncryptedBackupOutput backup;
    try (ProgressSink sink = new ProgressSink(Files.newOutputStream(stored))) {
      backup = BackupStreams.encrypt(sink, identity.recipient(), new ZstdSettings(3, 2));
      try (InputStream raw = new DigestInputStream(new DumpLikeData(PAYLOAD), rawDigest)) {
        copy(raw, backup, PAYLOAD - MIB);
        // Whatever reached storage before the last MiB was written proves nothing waits for close.
        storedBeforeTheLastMebibyte = sink.count;
        heapGrowthWhileStreaming = heapAfterGc() - heapBefore;
        raw.transferTo(backup);
      }
      backup.close();
    }

    StreamTotals written = backup.totals();
    assertThat(written.rawBytes()).isEqualTo(PAYLOAD);
    assertThat(written.storedBytes()).isEqualTo(Files.size(stored));
    assertThat(written.storedSha256()).isEqualTo(sha256(stored));
    // Half the data is random (incompressible), half repeated text: stored is just over half.
    assertThat(written.storedBytes()).isBetween(PAYLOAD * 45 / 100, PAYLOAD * 60 / 100);
    assertThat(storedBeforeTheLastMebibyte)
        .as("storage receives the stream while it is written, not at close")
        .isGreaterThan(written.storedBytes() / 2);
    assertThat(heapGrowthWhileStreaming)
        .as("live heap after 49 MiB went through: a few buffers, not the stream")
        .isLessThan(8L * MIB);

    MessageDigest restoredDigest = MessageDigest.getInstance("SHA-256");
    ProgressSource source = new ProgressSource(Files.newInputStream(stored));
    try (DecryptedBackupInput restored = BackupStreams.decrypt(source, List.of(identity))) {
      byte[] first = restored.readNBytes(MIB);
      restoredDigest.update(first);
      assertThat(source.count)
          .as("the first MiB comes out after reading a few MiB of storage, not all of it")
          .isLessThan(8L * MIB);
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = restored.read(buffer)) >= 0) {
        restoredDigest.update(buffer, 0, n);
      }
      assertThat(restored.totals()).isEqualTo(written);
    }
    assertThat(restoredDigest.digest()).isEqualTo(rawDigest.digest());
  }

  /** Live heap after a full collection (G1 honours System.gc() unless told not to). */
  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void copy(InputStream from, OutputStream to, long bytes) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = bytes;
    while (left > 0) {
      int n = from.read(buffer, 0, (int) Math.min(buffer.length, left));
      assertThat(n).isPositive();
      to.write(buffer, 0, n);
      left -= n;
    }
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Dump-like bytes made on the fly: 1 MiB of random bytes, then 1 MiB of SQL text, repeated. */
  private static final class DumpLikeData extends InputStream {
    private final long size;
    private final Random random = new Random(11);
    private final byte[] text =
        "INSERT INTO leads VALUES (42, 'homepage', 'https://example.com/', now());\n"
            .getBytes(StandardCharsets.US_ASCII);
    private long position;

    DumpLikeData(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position == size) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, size - position), MIB - position % MIB);
      if ((position / MIB) % 2 == 0) {
        byte[] random = new byte[n];
        this.random.nextBytes(random);
        System.arraycopy(random, 0, b, off, n);
      } else {
        for (int i = 0; i < n; i++) {
          b[off + i] = text[(int) ((position + i) % text.length)];
        }
      }
      position += n;
      return n;
    }
  }

  private static final class ProgressSink extends java.io.FilterOutputStream {
    volatile long count;

    ProgressSink(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  private static final class ProgressSource extends java.io.FilterInputStream {
    long count;

    ProgressSource(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }
}
