package dev.bulwark.backup.crypto;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands what is written to a thread of its own that writes it on to {@code downstream}: the writer
 * (reading pg_dump, feeding zstd) and the stages behind (encryption, hashing, upload) run on two
 * cores instead of taking turns. At most {@code QUEUED + 1} buffers of {@code BUFFER} bytes are
 * held. A failure downstream is thrown, as it was thrown, to the next write or close.
 */
final class HandOffOutputStream extends OutputStream {

  static final int BUFFER = 1 << 20;
  private static final int QUEUED = 4;
  private static final byte[] END = new byte[0];

  private final OutputStream downstream;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread writer;
  private byte[] buffer = new byte[BUFFER];
  private int filled;
  private boolean closed;
  // Thrown once: try-with-resources would otherwise add the failure to itself as suppressed.
  private boolean failureThrown;

  HandOffOutputStream(OutputStream downstream) {
    this.downstream = downstream;
    this.writer = new Thread(this::drain, "backup-stream-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    rethrow();
    while (length > 0) {
      int n = Math.min(length, BUFFER - filled);
      System.arraycopy(bytes, offset, buffer, filled, n);
      filled += n;
      offset += n;
      length -= n;
      if (filled == BUFFER) {
        handOff();
      }
    }
  }

  /** Hands off what is buffered; the bytes reach downstream in order, later. */
  @Override
  public void flush() throws IOException {
    if (filled > 0) {
      handOff();
    }
  }

  /** Waits until everything written is written downstream, then closes it (on this thread). */
  @Override
  public void close() throws IOException {
    if (closed || failureThrown) {
      // A failure already thrown to the writer is not thrown again (nor added to itself).
      closed = true;
      return;
    }
    closed = true;
    try {
      flush();
      enqueue(END);
      writer.join();
    } catch (InterruptedException e) {
      writer.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the backup stream was written");
    } finally {
      if (failure.get() != null) {
        writer.interrupt();
      }
    }
    rethrow();
    if (failure.get() == null) {
      downstream.close();
    }
  }

  private void handOff() throws IOException {
    byte[] full = filled == BUFFER ? buffer : Arrays.copyOf(buffer, filled);
    enqueue(full);
    buffer = full == buffer ? new byte[BUFFER] : buffer;
    filled = 0;
  }

  private void enqueue(byte[] chunk) throws IOException {
    try {
      // Waits while the writer is behind, but never for a writer that has failed.
      while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        rethrow();
      }
    } catch (InterruptedException e) {
      writer.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the backup stream was written");
    }
    rethrow();
  }

  private void drain() {
    try {
      while (true) {
        byte[] chunk = queue.take();
        if (chunk == END) {
          return;
        }
        downstream.write(chunk, 0, chunk.length);
      }
    } catch (Throwable e) {
      failure.set(e);
      queue.clear();
    }
  }

  private void rethrow() throws IOException {
    Throwable e = failure.get();
    if (e == null) {
      return;
    }
    if (failureThrown) {
      throw new IOException("the backup stream failed before: " + e.getMessage());
    }
    failureThrown = true;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
    throw new UncheckedIOException(new IOException(e));
  }
}
