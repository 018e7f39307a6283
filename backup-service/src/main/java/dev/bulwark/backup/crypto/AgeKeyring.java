package dev.bulwark.backup.crypto;

import dev.bulwark.backup.config.BackupConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The age keys of this service, parsed and checked at start-up: a malformed key stops the service
 * with a message naming its variable, never the secret.
 */
@Startup
@ApplicationScoped
public class AgeKeyring {

  static final String RECIPIENT_VARIABLE = "BULWARK_BACKUP_AGE_RECIPIENT";
  static final String IDENTITY_VARIABLE = "BULWARK_BACKUP_AGE_IDENTITY";

  private final Optional<AgeRecipient> recipient;
  private final List<AgeIdentity> identities;
  private final ZstdSettings zstd;

  @Inject
  public AgeKeyring(BackupConfig config) {
    this(
        config.age().recipient(),
        config.age().identity(),
        new ZstdSettings(config.compression().level(), config.compression().workers()));
  }

  /** A keyring from the keys' text, as the environment holds them (tests and tools). */
  public AgeKeyring(Optional<String> recipient, Optional<String> identities, ZstdSettings zstd) {
    this.recipient = recipient.filter(s -> !s.isBlank()).map(AgeKeyring::recipient);
    this.identities =
        identities.filter(s -> !s.isBlank()).map(AgeKeyring::identities).orElse(List.of());
    this.zstd = zstd;
  }

  /** The recipient backups are encrypted to; empty when none is configured. */
  public Optional<AgeRecipient> recipient() {
    return recipient;
  }

  /** The identities backups can be decrypted with, the newest rotation's and older ones. */
  public List<AgeIdentity> identities() {
    return identities;
  }

  public ZstdSettings zstd() {
    return zstd;
  }

  private static AgeRecipient recipient(String text) {
    try {
      return AgeKeys.parseRecipient(text);
    } catch (MalformedAgeKey e) {
      throw new IllegalStateException(
          RECIPIENT_VARIABLE
              + " (bulwark.backup.age.recipient) is "
              + e.getMessage()
              + "; set it to the public key age-keygen prints (age1...)");
    }
  }

  private static List<AgeIdentity> identities(String text) {
    try {
      return AgeKeys.parseIdentities(text);
    } catch (MalformedAgeKey e) {
      throw new IllegalStateException(
          IDENTITY_VARIABLE
              + " (bulwark.backup.age.identity) is malformed: "
              + e.getMessage()
              + "; set it to the AGE-SECRET-KEY-1... lines of age-keygen's key file");
    }
  }

  @Override
  public String toString() {
    return "AgeKeyring[recipient="
        + recipient.map(AgeRecipient::keyId).orElse("none")
        + ", identities="
        + identities
        + "]";
  }
}
