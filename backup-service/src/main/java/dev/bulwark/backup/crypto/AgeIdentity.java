package dev.bulwark.backup.crypto;

import java.util.Arrays;

/**
 * An age X25519 identity (secret key, {@code AGE-SECRET-KEY-1...}); {@link #toString()} names only
 * its public recipient, so the secret never reaches a log.
 */
public final class AgeIdentity {

  private final byte[] secretKey;
  private final AgeRecipient recipient;

  AgeIdentity(byte[] secretKey) {
    this.secretKey = secretKey.clone();
    this.recipient = new AgeRecipient(AgeCrypto.x25519Base(secretKey));
  }

  byte[] secretKey() {
    return secretKey.clone();
  }

  /** The public recipient matching this identity. */
  public AgeRecipient recipient() {
    return recipient;
  }

  /**
   * The {@code AGE-SECRET-KEY-1...} string, for writing a key file or a Kubernetes Secret; never
   * log it.
   */
  public String secretString() {
    return Bech32.encode(AgeKeys.IDENTITY_HRP, secretKey);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AgeIdentity i && Arrays.equals(secretKey, i.secretKey);
  }

  @Override
  public int hashCode() {
    return recipient.hashCode();
  }

  @Override
  public String toString() {
    return "AgeIdentity[recipient=" + recipient.keyId() + ", secret=<redacted>]";
  }
}
