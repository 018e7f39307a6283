package dev.bulwark.backup.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses, formats and generates age X25519 keys (bech32 {@code age1...} and {@code
 * AGE-SECRET-KEY-1...}).
 */
public final class AgeKeys {

  static final String RECIPIENT_HRP = "age";
  static final String IDENTITY_HRP = "AGE-SECRET-KEY-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AgeKeys() {}

  /** Parses an {@code age1...} recipient, verifying its bech32 checksum. */
  public static AgeRecipient parseRecipient(String text) {
    String s = text.strip();
    Bech32.Decoded decoded;
    try {
      decoded = Bech32.decode(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedAgeKey("not an age recipient (age1...): it " + e.getMessage());
    }
    if (!decoded.hrp().equals(RECIPIENT_HRP)) {
      throw new MalformedAgeKey("not an age recipient: it must start with age1");
    }
    if (decoded.data().length != 32) {
      throw new MalformedAgeKey("not an age X25519 recipient: the key must be 32 bytes");
    }
    return new AgeRecipient(decoded.data());
  }

  /** Parses one {@code AGE-SECRET-KEY-1...} identity; the error never repeats the text. */
  public static AgeIdentity parseIdentity(String text) {
    String s = text.strip();
    Bech32.Decoded decoded;
    try {
      decoded = Bech32.decode(s);
    } catch (IllegalArgumentException e) {
      throw new MalformedAgeKey("not an age identity (AGE-SECRET-KEY-1...): it " + e.getMessage());
    }
    if (!decoded.hrp().equals(IDENTITY_HRP)) {
      throw new MalformedAgeKey("not an age identity: it must start with AGE-SECRET-KEY-1");
    }
    if (decoded.data().length != 32) {
      throw new MalformedAgeKey("not an age X25519 identity: the key must be 32 bytes");
    }
    return new AgeIdentity(decoded.data());
  }

  /**
   * Parses identities as age identity files hold them ({@code age-keygen} output): one key per line
   * or separated by commas or spaces, {@code #} comment lines ignored. Several keys let old backups
   * stay readable after the recipient rotates.
   */
  public static List<AgeIdentity> parseIdentities(String text) {
    List<AgeIdentity> identities = new ArrayList<>();
    int line = 0;
    for (String raw : text.split("\\R")) {
      line++;
      String content = raw.strip();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      for (String token : content.split("[\\s,]+")) {
        if (token.isEmpty()) {
          continue;
        }
        try {
          identities.add(parseIdentity(token));
        } catch (MalformedAgeKey e) {
          throw new MalformedAgeKey("line " + line + ": " + e.getMessage());
        }
      }
    }
    if (identities.isEmpty()) {
      throw new MalformedAgeKey("holds no AGE-SECRET-KEY-1... identity");
    }
    return List.copyOf(identities);
  }

  /** A new random identity, like {@code age-keygen}. */
  public static AgeIdentity generate() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new AgeIdentity(secret);
  }
}
