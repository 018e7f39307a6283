package dev.bulwark.backup.crypto;

import static dev.bulwark.backup.crypto.AgeDecryptionFailure.CHUNK_ALTERED;
import static dev.bulwark.backup.crypto.AgeDecryptionFailure.MALFORMED_HEADER;
import static dev.bulwark.backup.crypto.AgeDecryptionFailure.TRAILING_DATA;
import static dev.bulwark.backup.crypto.AgeDecryptionFailure.TRUNCATED;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Decrypts an age v1 file with any of a list of X25519 identities, streaming one 64 KiB chunk at a
 * time. It verifies the header MAC before the first read returns and each chunk's tag before
 * releasing that chunk; a failure is an {@link AgeDecryptionException} naming the chunk.
 */
public final class AgeDecryptingInputStream extends InputStream {

  private final InputStream in;
  private final AgePayload payload;
  private final byte[] sealed = new byte[AgePayload.SEALED_CHUNK_SIZE];
  private final byte[] plain = new byte[AgePayload.SEALED_CHUNK_SIZE];
  private int position;
  private int limit;
  private long index;
  private boolean lastSeen;
  private AgeDecryptionException failed;

  /** Reads and authenticates the header now; the payload is decrypted as it is read. */
  public AgeDecryptingInputStream(InputStream source, List<AgeIdentity> identities)
      throws IOException {
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("no identity to decrypt with");
    }
    this.in = new BufferedInputStream(source, AgePayload.SEALED_CHUNK_SIZE);
    byte[] fileKey = AgeHeader.read(in, identities);
    byte[] payloadNonce = in.readNBytes(AgePayload.NONCE_SIZE);
    if (payloadNonce.length != AgePayload.NONCE_SIZE) {
      throw new AgeDecryptionException(MALFORMED_HEADER, "the payload nonce is cut short");
    }
    this.payload = new AgePayload(fileKey, payloadNonce);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (position == limit) {
      if (lastSeen) {
        return -1;
      }
      nextChunk();
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(plain, position, b, off, n);
    position += n;
    return n;
  }

  private void nextChunk() throws IOException {
    if (failed != null) {
      throw failed;
    }
    try {
      int n = in.readNBytes(sealed, 0, sealed.length);
      if (n == 0) {
        throw new AgeDecryptionException(
            TRUNCATED, index, "the file ends before its last chunk (truncated)");
      }
      if (n < AgeCrypto.TAG_SIZE) {
        throw new AgeDecryptionException(
            TRUNCATED, index, "the chunk is shorter than its tag (truncated)");
      }
      if (n == AgeCrypto.TAG_SIZE && index > 0) {
        throw new AgeDecryptionException(
            CHUNK_ALTERED, index, "an empty last chunk after data is not valid age");
      }
      boolean last = n < sealed.length;
      int opened = payload.open(index, last, sealed, n, plain);
      if (opened < 0 && !last) {
        // A full-size chunk may be the last one.
        last = true;
        opened = payload.open(index, true, sealed, n, plain);
      }
      if (opened < 0) {
        throw new AgeDecryptionException(
            CHUNK_ALTERED,
            index,
            "the chunk fails authentication: the file was altered or cut short");
      }
      if (last && in.read() >= 0) {
        throw new AgeDecryptionException(TRAILING_DATA, index, "data follows the last chunk");
      }
      index++;
      lastSeen = last;
      position = 0;
      limit = opened;
    } catch (AgeDecryptionException e) {
      failed = e;
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
