package dev.bulwark.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A stream of seeded random bytes of a given length, made as it is read (never held whole), that
 * records the SHA-256 of what it handed out; it can fail after a number of bytes.
 */
final class RandomContent extends InputStream {

  private final Random random;
  private final long length;
  private final long failAfter;
  private final MessageDigest sha256;
  private long position;

  private RandomContent(long seed, long length, long failAfter) {
    this.random = new Random(seed);
    this.length = length;
    this.failAfter = failAfter;
    this.sha256 = newSha256();
  }

  static RandomContent of(long seed, long length) {
    return new RandomContent(seed, length, Long.MAX_VALUE);
  }

  /** Throws an IOException once {@code failAfter} bytes of the {@code length} were read. */
  static RandomContent failingAfter(long seed, long length, long failAfter) {
    return new RandomContent(seed, length, failAfter);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (position >= failAfter) {
      throw new IOException("the source failed after " + position + " bytes");
    }
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(len, Math.min(length, failAfter) - position);
    byte[] chunk = new byte[n];
    random.nextBytes(chunk);
    System.arraycopy(chunk, 0, b, off, n);
    sha256.update(chunk);
    position += n;
    return n;
  }

  /** The SHA-256 of the bytes read so far, in hex. */
  String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** The SHA-256 of a stream read to its end, in hex. */
  static String sha256Of(InputStream in) throws IOException {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
