package dev.bulwark.backup.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Starts an fsync of the file being written, on a thread of its own, each time {@link #EVERY} more
 * bytes were written: the disk writes while the writer computes, and the fsync that makes the
 * object durable finds little left to write (458 MiB left for it took 1.7 s here). An fsync that
 * fails fails the next write and {@link #awaitWriteback()}: Linux reports a writeback error once.
 */
final class EarlyWriteback extends FilterOutputStream {

  static final long EVERY = 32L << 20;

  private static final Executor SYNCS =
      Executors.newCachedThreadPool(
          work -> {
            Thread thread = new Thread(work, "storage-writeback");
            thread.setDaemon(true);
            return thread;
          });

  private final FileChannel channel;
  private long unsynced;
  private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

  EarlyWriteback(OutputStream out, FileChannel channel) {
    super(out);
    this.channel = channel;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    unsynced += len;
    if (unsynced >= EVERY && running.isDone()) {
      rethrow();
      unsynced = 0;
      running = CompletableFuture.runAsync(this::sync, SYNCS);
    }
  }

  /** Waits for the fsync in progress, if any, and throws its failure. */
  void awaitWriteback() throws IOException {
    try {
      running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the file was synced");
    } catch (ExecutionException e) {
      throw failureOf(e.getCause());
    }
  }

  private void rethrow() throws IOException {
    if (running.isCompletedExceptionally()) {
      awaitWriteback();
    }
  }

  private void sync() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static IOException failureOf(Throwable cause) {
    Throwable e = cause instanceof CompletionException ? cause.getCause() : cause;
    if (e instanceof UncheckedIOException unchecked) {
      return unchecked.getCause();
    }
    return e instanceof IOException io ? io : new IOException(e);
  }
}
