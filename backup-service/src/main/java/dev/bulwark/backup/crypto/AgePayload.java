package dev.bulwark.backup.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The age payload's STREAM construction: 64 KiB plaintext chunks sealed with ChaCha20-Poly1305
 * under a key derived from the file key and a 16-byte nonce, each chunk's nonce an 11-byte
 * big-endian counter and a last-chunk flag byte.
 */
final class AgePayload {

  static final int CHUNK_SIZE = 64 * 1024;
  static final int SEALED_CHUNK_SIZE = CHUNK_SIZE + AgeCrypto.TAG_SIZE;
  static final int NONCE_SIZE = 16;

  private final SecretKeySpec key;
  private final Cipher cipher = AgeCrypto.chacha();

  AgePayload(byte[] fileKey, byte[] payloadNonce) {
    this.key =
        new SecretKeySpec(
            AgeCrypto.hkdf(fileKey, payloadNonce, "payload", AgeCrypto.KEY_SIZE), "ChaCha20");
  }

  /** Seals {@code length} bytes of {@code plaintext} as chunk {@code index} into {@code out}. */
  int seal(long index, boolean last, byte[] plaintext, int length, byte[] out) {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, nonce(index, last));
      return cipher.doFinal(plaintext, 0, length, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
    }
  }

  /**
   * Opens sealed chunk {@code index} into {@code out} and returns the plaintext length, or -1 when
   * its tag does not verify; the JDK's AEAD releases no plaintext before the tag is checked.
   */
  int open(long index, boolean last, byte[] sealed, int length, byte[] out) {
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, nonce(index, last));
      return cipher.doFinal(sealed, 0, length, out, 0);
    } catch (AEADBadTagException e) {
      return -1;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
    }
  }

  private static IvParameterSpec nonce(long index, boolean last) {
    byte[] nonce = new byte[AgeCrypto.NONCE_SIZE];
    // The counter is 11 bytes; a long's 8 fill its low end, which no backup outgrows.
    for (int i = 0; i < 8; i++) {
      nonce[10 - i] = (byte) (index >>> (8 * i));
    }
    nonce[11] = (byte) (last ? 1 : 0);
    return new IvParameterSpec(nonce);
  }
}
