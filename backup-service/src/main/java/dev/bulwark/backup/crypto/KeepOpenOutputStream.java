package dev.bulwark.backup.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Storage's stream seen through a backup stream: closing the backup stream ends the age file and
 * flushes, but leaves storage's stream open, since storage closes it (and publishes the object)
 * once the body that wrote it returns.
 */
public final class KeepOpenOutputStream extends FilterOutputStream {

  public KeepOpenOutputStream(OutputStream out) {
    super(out);
  }

  // FilterOutputStream writes arrays byte by byte; storage's stream takes them whole.
  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
