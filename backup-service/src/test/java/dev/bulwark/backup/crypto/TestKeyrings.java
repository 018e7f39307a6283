package dev.bulwark.backup.crypto;

import java.util.Optional;

/** Keyrings for tests: a newly generated age identity that both encrypts and decrypts. */
public final class TestKeyrings {

  private TestKeyrings() {}

  /** A keyring of a new identity (its recipient and its secret), compressing at {@code level}. */
  public static AgeKeyring generated(int level) {
    AgeIdentity identity = AgeKeys.generate();
    return new AgeKeyring(
        Optional.of(identity.recipient().keyId()),
        Optional.of(identity.secretString()),
        new ZstdSettings(level, 0));
  }
}
