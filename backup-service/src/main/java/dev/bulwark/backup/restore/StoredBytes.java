package dev.bulwark.backup.restore;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.StorageUnavailable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stored object as it is read: hashed and counted below the decryption, so the SHA-256 covers
 * every stored byte even when decryption fails half way. A failing read is storage's failure.
 */
final class StoredBytes extends FilterInputStream {

  private final String location;
  private final ObjectKey key;
  private final ProgressTracker tracker;
  private final MessageDigest digest;
  private long count;

  StoredBytes(InputStream in, String location, ObjectKey key, ProgressTracker tracker) {
    super(in);
    this.location = location;
    this.key = key;
    this.tracker = tracker;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      // Decryption errors come from above this stream, so this one is storage's own.
      throw new StorageUnavailable(location, "reading " + key + " failed: " + e.getMessage());
    }
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
      tracker.bytesRead(count);
    }
    return n;
  }

  @Override
  public long skip(long n) {
    // Skipped bytes would escape the digest: read them instead (at most 8 KiB per call, as
    // InputStream.skip may skip fewer than asked).
    int len = (int) Math.min(Math.max(n, 0), 8192);
    if (len == 0) {
      return 0;
    }
    return Math.max(read(new byte[len], 0, len), 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** The caller closes the storage stream, after {@link #drain()} if it needs the whole hash. */
  @Override
  public void close() {}

  /** Reads the rest of the object, so that the hash and count cover all of it. */
  void drain() {
    byte[] buffer = new byte[64 * 1024];
    while (read(buffer, 0, buffer.length) >= 0) {
      // hashing and counting is the point
    }
  }

  long count() {
    return count;
  }

  /** The SHA-256 of what was read, in lower-case hex; read to the end first. */
  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
