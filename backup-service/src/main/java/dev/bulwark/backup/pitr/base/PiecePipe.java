package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.streams.BufferQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Carries one piece's bytes from the thread reading pg_basebackup to the thread storing the piece,
 * through a {@link BufferQueue} of {@code QUEUED} buffers of {@code BUFFER} bytes (buffers under
 * half a G1 region of a small heap are no humongous allocations). Either side's failure reaches the
 * other: a reader that gave up makes the next write throw, {@link #fail} makes the next read throw
 * (so that storage publishes nothing).
 */
final class PiecePipe {

  static final int BUFFER = 256 * 1024;
  private static final int QUEUED = 16;

  private final BufferQueue queue = new BufferQueue(BUFFER, QUEUED);

  /** The writing end; closing it ends the piece. */
  OutputStream sink() {
    return new OutputStream() {
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!queue.write(b, off, len)) {
          throw stopped();
        }
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        if (!queue.end()) {
          throw stopped();
        }
      }
    };
  }

  /** The reading end, for the storing thread. */
  InputStream source() {
    return new InputStream() {
      private BufferQueue.Chunk chunk;
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        while (chunk == null || position == chunk.length()) {
          if (chunk != null && chunk.isEnd()) {
            return -1;
          }
          if (chunk != null) {
            queue.recycle(chunk);
          }
          chunk = queue.take();
          position = 0;
        }
        int n = Math.min(len, chunk.length() - position);
        System.arraycopy(chunk.bytes(), position, b, off, n);
        position += n;
        return n;
      }

      @Override
      public void close() {
        // The writer, if still writing, stops at its next write.
        queue.fail(new IOException("the piece's upload stopped reading"));
      }
    };
  }

  /** Makes the reading end throw {@code cause} instead of reading on. */
  void fail(IOException cause) {
    queue.fail(cause);
  }

  private IOException stopped() {
    Throwable cause = queue.failure().orElseThrow();
    return cause instanceof IOException io
        ? new IOException(io.getMessage(), io)
        : new IOException("the piece's upload failed: " + cause.getMessage(), cause);
  }
}
