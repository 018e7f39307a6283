package dev.bulwark.backup.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;

/**
 * Encrypts what is written to it into an age v1 file for one X25519 recipient, streaming: it holds
 * one 64 KiB chunk at a time whatever the size. {@link #close()} seals the last chunk (flagged as
 * last) and closes the sink; without it the file is incomplete and will not decrypt.
 */
public final class AgeEncryptingOutputStream extends FilterOutputStream {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final AgePayload payload;
  private final byte[] chunk = new byte[AgePayload.CHUNK_SIZE];
  private final byte[] sealed = new byte[AgePayload.SEALED_CHUNK_SIZE];
  private int buffered;
  private long index;
  private boolean closed;

  /** Writes the header to {@code sink} at once, then encrypts what follows. */
  public AgeEncryptingOutputStream(OutputStream sink, AgeRecipient recipient) throws IOException {
    super(sink);
    byte[] fileKey = random(AgeHeader.FILE_KEY_SIZE);
    byte[] payloadNonce = random(AgePayload.NONCE_SIZE);
    sink.write(AgeHeader.write(fileKey, recipient, random(32)));
    sink.write(payloadNonce);
    this.payload = new AgePayload(fileKey, payloadNonce);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("age stream already closed");
    }
    while (len > 0) {
      // A full chunk is sealed only once more data arrives: the last chunk must carry the flag,
      // and may itself be full.
      if (buffered == chunk.length) {
        sealChunk(false);
      }
      int n = Math.min(len, chunk.length - buffered);
      System.arraycopy(b, off, chunk, buffered, n);
      buffered += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream sink = out) {
      sealChunk(true);
      sink.flush();
    }
  }

  private void sealChunk(boolean last) throws IOException {
    int n = payload.seal(index, last, chunk, buffered, sealed);
    out.write(sealed, 0, n);
    index++;
    buffered = 0;
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
