package dev.bulwark.backup.pitr.base;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Carries one piece's bytes from the thread reading pg_basebackup to the thread storing the piece:
 * at most {@code QUEUED} buffers of {@code BUFFER} bytes in between, reused (a gigabyte through it
 * allocates no more than those; buffers under half a G1 region of a small heap are no humongous
 * allocations). Either side's failure reaches the other: a reader that gave up makes the next write
 * throw, {@link #fail} makes the next read throw (so that storage publishes nothing).
 */
final class PiecePipe {

  static final int BUFFER = 256 * 1024;
  private static final int QUEUED = 16;
  private static final Chunk END = new Chunk(new byte[0], 0);

  private record Chunk(byte[] bytes, int length) {}

  private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED + 1);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED + 2);
  private volatile boolean readerGone;
  private volatile IOException failure;

  /** The writing end; closing it ends the piece. */
  OutputStream sink() {
    return new OutputStream() {
      private byte[] buffer = new byte[BUFFER];
      private int filled;
      private boolean closed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
          int n = Math.min(len, BUFFER - filled);
          System.arraycopy(b, off, buffer, filled, n);
          filled += n;
          off += n;
          len -= n;
          if (filled == BUFFER) {
            put(new Chunk(buffer, filled));
            byte[] reused = free.poll();
            buffer = reused != null ? reused : new byte[BUFFER];
            filled = 0;
          }
        }
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        if (filled > 0) {
          put(new Chunk(buffer, filled));
        }
        put(END);
      }
    };
  }

  /** The reading end, for the storing thread. */
  InputStream source() {
    return new InputStream() {
      private Chunk chunk;
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
          if (chunk == END) {
            return -1;
          }
          if (chunk != null) {
            free.offer(chunk.bytes());
          }
          chunk = take();
          position = 0;
        }
        int n = Math.min(len, chunk.length() - position);
        System.arraycopy(chunk.bytes(), position, b, off, n);
        position += n;
        return n;
      }

      @Override
      public void close() {
        readerGone = true;
        queue.clear();
      }
    };
  }

  /** Makes the reading end throw {@code cause} instead of reading on. */
  void fail(IOException cause) {
    failure = cause;
    queue.clear();
    queue.offer(END);
  }

  private void put(Chunk chunk) throws IOException {
    try {
      while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        if (readerGone) {
          throw new IOException("the piece's upload stopped reading");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing a piece on");
    }
  }

  private Chunk take() throws IOException {
    try {
      Chunk next = queue.take();
      if (failure != null) {
        throw failure;
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading a piece");
    }
  }
}
