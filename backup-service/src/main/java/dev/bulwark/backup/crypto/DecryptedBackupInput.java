package dev.bulwark.backup.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The raw end of a restore stream (storage → age → zstd → raw): read the dump from it; once it
 * returned end of stream, {@link #totals()} says what was read.
 */
public final class DecryptedBackupInput extends FilterInputStream {

  private final InputStream decrypted;
  private final CountingInputStream stored;
  private final MessageDigest digest;
  private long rawBytes;
  private Optional<StreamTotals> totals = Optional.empty();

  DecryptedBackupInput(
      InputStream decompressing,
      InputStream decrypted,
      CountingInputStream stored,
      MessageDigest digest) {
    super(decompressing);
    this.decrypted = decrypted;
    this.stored = stored;
    this.digest = digest;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      rawBytes += n;
    } else if (n < 0 && totals.isEmpty()) {
      // zstd stops at its frame's end; the age file must end there too, its last chunk verified.
      if (decrypted.read() >= 0) {
        throw new IOException("data follows the end of the compressed dump in the age file");
      }
      totals =
          Optional.of(
              new StreamTotals(
                  rawBytes, stored.count(), HexFormat.of().formatHex(digest.digest())));
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    int read = read(new byte[(int) Math.min(Math.max(n, 0), 8192)]);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** The totals, once the whole stream was read (and so authenticated). */
  public StreamTotals totals() {
    return totals.orElseThrow(
        () -> new IllegalStateException("read the restore stream to its end first"));
  }
}
