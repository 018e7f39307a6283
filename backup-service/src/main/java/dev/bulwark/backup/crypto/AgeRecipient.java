package dev.bulwark.backup.crypto;

import java.util.Arrays;

/**
 * An age X25519 recipient (public key, {@code age1...}); its string is the key id recorded in
 * backup manifests.
 */
public final class AgeRecipient {

  private final byte[] publicKey;
  private final String encoded;

  AgeRecipient(byte[] publicKey) {
    this.publicKey = publicKey.clone();
    this.encoded = Bech32.encode(AgeKeys.RECIPIENT_HRP, publicKey);
  }

  byte[] publicKey() {
    return publicKey.clone();
  }

  /** The key id: the recipient's {@code age1...} string, public. */
  public String keyId() {
    return encoded;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AgeRecipient r && Arrays.equals(publicKey, r.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return encoded;
  }
}
