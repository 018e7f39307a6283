package dev.bulwark.backup.streams;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands bytes from one thread to another in buffers: the writing thread fills a buffer and queues
 * it, the reading thread takes it and gives it back once used. At most {@code queued} filled
 * buffers wait and at most {@code queued + 2} buffers of {@code bufferSize} bytes are ever
 * allocated (one being filled, one being read), so a gigabyte through it allocates no more than
 * those. Either side may {@link #fail} it; the other side's next put or take then learns of it
 * instead of waiting for ever.
 *
 * <p>One thread writes ({@link #write}, {@link #flush}, {@link #end}); one thread reads ({@link
 * #take}, {@link #recycle}).
 */
public final class BufferQueue {

  /** Filled buffers; their first {@code length} bytes are data. */
  public record Chunk(byte[] bytes, int length) {

    /** Whether this is the end of the stream: nothing follows it. */
    public boolean isEnd() {
      return this == END;
    }
  }

  private static final Chunk END = new Chunk(new byte[0], 0);
  // Waits are this long at most, so that a writer learns of the reader's failure soon.
  private static final long POLL_MILLIS = 100;

  private final int bufferSize;
  private final BlockingQueue<Chunk> filled;
  private final BlockingQueue<byte[]> free;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private byte[] buffer;
  private int length;

  public BufferQueue(int bufferSize, int queued) {
    this.bufferSize = bufferSize;
    this.filled = new ArrayBlockingQueue<>(queued);
    this.free = new ArrayBlockingQueue<>(queued + 2);
    this.buffer = new byte[bufferSize];
  }

  /**
   * Copies {@code len} bytes into the buffer being filled, queueing each buffer that fills up.
   *
   * @return false when the queue failed (see {@link #failure}); what was not queued is lost
   */
  public boolean write(byte[] bytes, int offset, int len) throws InterruptedIOException {
    while (len > 0) {
      int n = Math.min(len, bufferSize - length);
      System.arraycopy(bytes, offset, buffer, length, n);
      length += n;
      offset += n;
      len -= n;
      if (length == bufferSize && !queueBuffer()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Queues the buffer being filled, if it holds anything.
   *
   * @return false when the queue failed
   */
  public boolean flush() throws InterruptedIOException {
    return length == 0 || queueBuffer();
  }

  /**
   * Queues what is buffered and then the end.
   *
   * @return false when the queue failed
   */
  public boolean end() throws InterruptedIOException {
    return flush() && put(END);
  }

  /**
   * The next chunk, waiting for one; {@link Chunk#isEnd()} once the writer ended.
   *
   * @throws IOException the failure the queue failed with (as it is when it is an IOException)
   */
  public Chunk take() throws IOException {
    Chunk next;
    try {
      next = filled.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for bytes handed on");
    }
    Throwable failed = failure.get();
    if (failed != null) {
      throw failed instanceof IOException io ? io : new IOException(failed.getMessage(), failed);
    }
    return next;
  }

  /** Gives a taken chunk's buffer back to be filled again. */
  public void recycle(Chunk chunk) {
    if (!chunk.isEnd()) {
      free.offer(chunk.bytes());
    }
  }

  /**
   * Fails the queue with {@code cause} (the first failure stays): the writer's next put answers
   * false, the reader's next take throws it. What was queued is dropped.
   */
  public void fail(Throwable cause) {
    failure.compareAndSet(null, cause);
    // A reader waiting in take wakes up to the failure.
    filled.clear();
    while (!filled.offer(END)) {
      filled.clear();
    }
  }

  /** The failure the queue failed with, if it failed. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  private boolean queueBuffer() throws InterruptedIOException {
    if (!put(new Chunk(buffer, length))) {
      return false;
    }
    byte[] reused = free.poll();
    buffer = reused != null ? reused : new byte[bufferSize];
    length = 0;
    return true;
  }

  private boolean put(Chunk chunk) throws InterruptedIOException {
    try {
      // Waits while the reader is behind, but never for a reader that has failed.
      while (failure.get() == null) {
        if (filled.offer(chunk, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing bytes on");
    }
  }
}
