package dev.bulwark.backup.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an S3 GET, read to its {@code Content-Length}. The JDK's HTTP client ends a body
 * whose connection was cut (storage killed, a proxy restarted) as if it were complete; read on, a
 * cut body would pass for a short object and surface far away (a decryptor calling it tampered).
 * Here it fails as {@link StorageUnavailable} naming the object, as does any read error.
 */
final class S3BodyStream extends FilterInputStream {

  private final String location;
  private final String what;
  private final long expected;
  private long read;

  S3BodyStream(InputStream in, String location, String what, long expected) {
    super(in);
    this.location = location;
    this.what = what;
    this.expected = expected;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = super.read();
    } catch (IOException e) {
      throw failed(e);
    }
    if (b < 0) {
      checkComplete();
    } else {
      read++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
    if (n < 0) {
      checkComplete();
    } else {
      read += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      long skipped = super.skip(n);
      read += skipped;
      return skipped;
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private void checkComplete() {
    if (expected >= 0 && read < expected) {
      throw new StorageUnavailable(
          location,
          what + " was cut off after " + read + " of " + expected + " bytes (connection lost)");
    }
  }

  private StorageUnavailable failed(IOException e) {
    return new StorageUnavailable(location, what + " failed after " + read + " bytes: " + e);
  }
}
