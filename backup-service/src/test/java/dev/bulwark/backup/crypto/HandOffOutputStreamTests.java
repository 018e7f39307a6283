package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The hand-off between the dump's reader and the encrypting writer. */
class HandOffOutputStreamTests {

  @Test
  void bytesArriveInOrderWhateverTheWriteSizes() throws IOException {
    byte[] content = new byte[5 * HandOffOutputStream.BUFFER + 12345];
    new Random(7).nextBytes(content);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    AtomicBoolean closed = new AtomicBoolean();
    OutputStream downstream =
        new OutputStream() {
          @Override
          public void write(int b) {
            received.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            received.write(b, off, len);
          }

          @Override
          public void close() {
            closed.set(true);
          }
        };

    Random sizes = new Random(11);
    try (HandOffOutputStream out = new HandOffOutputStream(downstream)) {
      int at = 0;
      while (at < content.length) {
        int n = Math.min(content.length - at, 1 + sizes.nextInt(300_000));
        out.write(content, at, n);
        at += n;
        if (sizes.nextInt(10) == 0) {
          out.flush();
        }
      }
    }

    assertThat(received.toByteArray()).isEqualTo(content);
    assertThat(closed).isTrue();
  }

  @Test
  void buffersAreReusedNotAllocatedPerHandOff() throws IOException {
    Set<byte[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    OutputStream downstream =
        new OutputStream() {
          @Override
          public void write(int b) {}

          @Override
          public void write(byte[] b, int off, int len) {
            seen.add(b);
          }
        };
    byte[] block = new byte[64 * 1024];
    try (HandOffOutputStream out = new HandOffOutputStream(downstream)) {
      for (int i = 0; i < 64 * HandOffOutputStream.BUFFER / block.length; i++) {
        out.write(block, 0, block.length);
      }
    }
    // 64 buffers' worth went through; a new buffer per hand-off would have shown 64.
    assertThat(seen).hasSizeLessThanOrEqualTo(6);
  }

  @Test
  void aFailureDownstreamReachesTheWriterAsItWasThrown() {
    IllegalStateException storageDown = new IllegalStateException("storage went away");
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw storageDown;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            throw storageDown;
          }
        };
    byte[] chunk = new byte[HandOffOutputStream.BUFFER];

    assertThatThrownBy(
            () -> {
              try (HandOffOutputStream out = new HandOffOutputStream(failing)) {
                // More than the queue holds: the writer must learn of the failure, not block.
                for (int i = 0; i < 50; i++) {
                  out.write(chunk);
                }
              }
            })
        .isSameAs(storageDown);
  }
}
