package dev.bulwark.backup.crypto;

import dev.bulwark.backup.streams.BufferQueue;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Hands what is written to a thread of its own that writes it on to {@code downstream}: the stages
 * of a backup stream (reading pg_dump's pipe; zstd; encryption, hashing and upload) run side by
 * side instead of taking turns, through a {@link BufferQueue} of {@code QUEUED} buffers of {@code
 * BUFFER} bytes. A failure downstream is thrown, as it was thrown, to the next write or close.
 */
final class HandOffOutputStream extends OutputStream {

  static final int BUFFER = 1 << 20;
  private static final int QUEUED = 4;

  private final OutputStream downstream;
  private final BufferQueue queue = new BufferQueue(BUFFER, QUEUED);
  private final Thread writer;
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
    try {
      // A queue that failed answers false; rethrow below throws what failed it.
      queue.write(bytes, offset, length);
    } catch (InterruptedIOException e) {
      throw interrupted(e);
    }
    rethrow();
  }

  /** Hands off what is buffered; the bytes reach downstream in order, later. */
  @Override
  public void flush() throws IOException {
    try {
      queue.flush();
    } catch (InterruptedIOException e) {
      throw interrupted(e);
    }
    rethrow();
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
      if (queue.end()) {
        writer.join();
      }
    } catch (InterruptedIOException e) {
      throw interrupted(e);
    } catch (InterruptedException e) {
      throw interrupted(new InterruptedIOException(e.getMessage()));
    } finally {
      if (queue.failure().isPresent()) {
        writer.interrupt();
      }
    }
    rethrow();
    downstream.close();
  }

  private InterruptedIOException interrupted(InterruptedIOException e) {
    writer.interrupt();
    Thread.currentThread().interrupt();
    InterruptedIOException described =
        new InterruptedIOException("interrupted while the backup stream was written");
    described.initCause(e);
    return described;
  }

  private void drain() {
    try {
      while (true) {
        BufferQueue.Chunk chunk = queue.take();
        if (chunk.isEnd()) {
          return;
        }
        downstream.write(chunk.bytes(), 0, chunk.length());
        queue.recycle(chunk);
      }
    } catch (Throwable e) {
      queue.fail(e);
    }
  }

  private void rethrow() throws IOException {
    Throwable e = queue.failure().orElse(null);
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
