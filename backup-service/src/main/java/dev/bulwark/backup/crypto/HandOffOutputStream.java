package dev.bulwark.backup.crypto;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands what is written to a thread of its own that writes it on to {@code downstream}: the stages
 * of a backup stream (reading pg_dump's pipe; zstd; encryption, hashing and upload) run side by
 * side instead of taking turns. At most {@code QUEUED + 2} buffers of {@code BUFFER} bytes are
 * held, and reused: a gigabyte through the stream allocates no more than that. A failure downstream
 * is thrown, as it was thrown, to the next write or close.
 */
final class HandOffOutputStream extends OutputStream {

  static final int BUFFER = 1 << 20;
  private static final int QUEUED = 4;
  private static final Chunk END = new Chunk(new byte[0], 0);

  private final OutputStream downstream;
  private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED + 2);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread writer;
  private byte[] buffer = new byte[BUFFER];
  private int filled;
  private boolean closed;
  // Thrown once: try-with-resources would otherwise add the failure to itself as suppressed.
  private boolean failureThrown;

  HandOffOutputStream(OutputStream downstream) {
    this(downstream, "backup-stream-writer");
  }

  HandOffOutputStream(OutputStream downstream, String threadName) {
    this.downstream = downstream;
    this.writer = new Thread(this::drain, threadName);
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
    enqueue(new Chunk(buffer, filled));
    byte[] reused = free.poll();
    buffer = reused != null ? reused : new byte[BUFFER];
    filled = 0;
  }

  private void enqueue(Chunk chunk) throws IOException {
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
        Chunk chunk = queue.take();
        if (chunk == END) {
          return;
        }
        downstream.write(chunk.bytes(), 0, chunk.length());
        free.offer(chunk.bytes());
      }
    } catch (Throwable e) {
      failure.set(e);
      queue.clear();
    }
  }

  private record Chunk(byte[] bytes, int length) {}

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
