package dev.bulwark.backup.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.conscrypt.Conscrypt;
import org.jboss.logging.Logger;

/** The primitives of age v1: X25519, HKDF-SHA-256, HMAC-SHA-256 and ChaCha20-Poly1305. */
final class AgeCrypto {

  static final int KEY_SIZE = 32;
  static final int TAG_SIZE = 16;
  static final int NONCE_SIZE = 12;

  private static final Optional<Provider> NATIVE = conscrypt();

  private AgeCrypto() {}

  static byte[] x25519Base(byte[] scalar) {
    byte[] out = new byte[X25519.POINT_SIZE];
    X25519.scalarMultBase(scalar, 0, out, 0);
    return out;
  }

  /** The shared secret, or empty for a low-order point (an all-zero result, which age rejects). */
  static Optional<byte[]> x25519(byte[] scalar, byte[] point) {
    byte[] out = new byte[X25519.POINT_SIZE];
    return X25519.calculateAgreement(scalar, 0, point, 0, out, 0)
        ? Optional.of(out)
        : Optional.empty();
  }

  static byte[] hkdf(byte[] secret, byte[] salt, String info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(secret, salt, info.getBytes(StandardCharsets.US_ASCII)));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }

  static byte[] hmacSha256(byte[] key, byte[] message) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key));
    mac.update(message, 0, message.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }

  /** ChaCha20-Poly1305 with an all-zero nonce: age wraps each file key under a one-time key. */
  static byte[] sealOnce(byte[] key, byte[] plaintext) {
    try {
      Cipher cipher = chacha();
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), zeroNonce());
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
    }
  }

  /** Opens what {@link #sealOnce} sealed; empty when the tag does not verify. */
  static Optional<byte[]> openOnce(byte[] key, byte[] ciphertext) {
    try {
      Cipher cipher = chacha();
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), zeroNonce());
      return Optional.of(cipher.doFinal(ciphertext));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
    }
  }

  /**
   * ChaCha20-Poly1305 from BoringSSL through Conscrypt where its native library loads (1.6 GB/s on
   * one core here against the JDK 17 cipher's 0.27, which has no intrinsic and bounds a backup's
   * speed), else the JDK's. Conscrypt is asked for this cipher only, never installed as a provider.
   */
  static Cipher chacha() {
    try {
      return NATIVE.isPresent()
          ? Cipher.getInstance("ChaCha20/Poly1305/NoPadding", NATIVE.get())
          : Cipher.getInstance("ChaCha20-Poly1305");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no ChaCha20-Poly1305 cipher", e);
    }
  }

  /** Which implementation {@link #chacha} gives: "Conscrypt" or the JDK's provider name. */
  static String chachaProvider() {
    return chacha().getProvider().getName();
  }

  private static Optional<Provider> conscrypt() {
    try {
      if (Conscrypt.isAvailable()) {
        return Optional.of(Conscrypt.newProvider());
      }
    } catch (LinkageError e) { // no native library for this platform: isAvailable() said so
    }
    Logger.getLogger(AgeCrypto.class)
        .infof(
            "Conscrypt's native library is not available on %s/%s: backups are encrypted with"
                + " the JDK's ChaCha20-Poly1305, several times slower",
            System.getProperty("os.name"), System.getProperty("os.arch"));
    return Optional.empty();
  }

  private static IvParameterSpec zeroNonce() {
    return new IvParameterSpec(new byte[NONCE_SIZE]);
  }
}
