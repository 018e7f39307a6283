package dev.bulwark.backup.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The raw end of a backup stream (raw → zstd → age → storage): write the dump into it, close it,
 * then read its {@link #totals()}.
 */
public final class EncryptedBackupOutput extends FilterOutputStream {

  private final CountingOutputStream stored;
  private final MessageDigest digest;
  private long rawBytes;
  private Optional<StreamTotals> totals = Optional.empty();

  EncryptedBackupOutput(
      OutputStream compressing, CountingOutputStream stored, MessageDigest digest) {
    super(compressing);
    this.stored = stored;
    this.digest = digest;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    rawBytes++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    rawBytes += len;
  }

  /** Ends the zstd frame and the age file (its last chunk) and closes the storage stream. */
  @Override
  public void close() throws IOException {
    if (totals.isPresent()) {
      return;
    }
    out.close();
    totals =
        Optional.of(
            new StreamTotals(rawBytes, stored.count(), HexFormat.of().formatHex(digest.digest())));
  }

  /** The totals, once the stream is closed. */
  public StreamTotals totals() {
    return totals.orElseThrow(() -> new IllegalStateException("close the backup stream first"));
  }
}
