package dev.bulwark.backup.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-off of buffers between two threads that both stream stages build on. */
class BufferQueueTests {

  private static final int BUFFER = 64 * 1024;
  private static final int QUEUED = 3;

  @Test
  void bytesArriveInOrderThroughNoMoreThanQueuedPlusTwoBuffers() throws Exception {
    BufferQueue queue = new BufferQueue(BUFFER, QUEUED);
    byte[] content = new byte[40 * BUFFER + 777];
    new Random(3).nextBytes(content);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              Random sizes = new Random(5);
              try {
                int at = 0;
                while (at < content.length) {
                  int n = Math.min(content.length - at, 1 + sizes.nextInt(3 * BUFFER));
                  assertThat(queue.write(content, at, n)).isTrue();
                  at += n;
                  if (sizes.nextInt(8) == 0) {
                    assertThat(queue.flush()).isTrue();
                  }
                }
                assertThat(queue.end()).isTrue();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });

    ByteArrayOutputStream received = new ByteArrayOutputStream();
    Set<byte[]> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
    for (BufferQueue.Chunk chunk = queue.take(); !chunk.isEnd(); chunk = queue.take()) {
      received.write(chunk.bytes(), 0, chunk.length());
      buffers.add(chunk.bytes());
      queue.recycle(chunk);
    }
    writer.get(30, TimeUnit.SECONDS);

    assertThat(received.toByteArray()).isEqualTo(content);
    // Over 40 buffers' worth went through.
    assertThat(buffers).hasSizeBetween(2, QUEUED + 2);
  }

  @Test
  void aWriterLearnsThatTheReaderFailedInsteadOfWaiting() throws Exception {
    BufferQueue queue = new BufferQueue(BUFFER, QUEUED);
    IllegalStateException readerFailed = new IllegalStateException("storage went away");
    byte[] block = new byte[BUFFER];
    // Nobody reads: the queue fills, and the writer waits until the reader fails.
    CompletableFuture<Boolean> writer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (int i = 0; i < 50; i++) {
                  if (!queue.write(block, 0, block.length)) {
                    return false;
                  }
                }
                return true;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    queue.fail(readerFailed);

    assertThat(writer.get(30, TimeUnit.SECONDS)).isFalse();
    assertThat(queue.failure()).containsSame(readerFailed);
    assertThat(queue.end()).isFalse();
  }

  @Test
  void aWaitingReaderGetsTheFailureAsItWasGiven() {
    BufferQueue queue = new BufferQueue(BUFFER, QUEUED);
    IOException cause = new IOException("pg_basebackup failed");
    CompletableFuture<BufferQueue.Chunk> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.take();
              } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    queue.fail(cause);

    assertThatThrownBy(() -> reader.get(30, TimeUnit.SECONDS)).hasCauseReference(cause);
    // The first failure stays.
    queue.fail(new IOException("later"));
    assertThatThrownBy(queue::take).isSameAs(cause);
  }
}
