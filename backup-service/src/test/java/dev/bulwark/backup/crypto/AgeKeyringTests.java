package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The keys from the environment: checked at start-up, named when wrong, never printed. */
class AgeKeyringTests {

  private static final ZstdSettings ZSTD = new ZstdSettings(3, 2);

  @Test
  void aMalformedIdentityStopsStartUpNamingTheVariableNotTheSecret() {
    String secret = AgeKeys.generate().secretString();
    String cutShort = secret.substring(0, secret.length() - 3);

    assertThatThrownBy(
            () -> new AgeKeyring(Optional.empty(), Optional.of("# key\n" + cutShort), ZSTD))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BULWARK_BACKUP_AGE_IDENTITY")
        .hasMessageContaining("line 2")
        .message()
        .doesNotContain(cutShort.substring(16));
  }

  @Test
  void aMalformedRecipientStopsStartUpNamingTheVariable() {
    assertThatThrownBy(() -> new AgeKeyring(Optional.of("age1notakey"), Optional.empty(), ZSTD))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("BULWARK_BACKUP_AGE_RECIPIENT")
        .hasMessageContaining("age-keygen");
  }

  @Test
  void holdsTheRecipientAndEveryIdentityWithoutPrintingSecrets() {
    AgeIdentity current = AgeKeys.generate();
    AgeIdentity previous = AgeKeys.generate();

    AgeKeyring keyring =
        new AgeKeyring(
            Optional.of(current.recipient().keyId()),
            Optional.of(current.secretString() + "\n" + previous.secretString()),
            ZSTD);

    assertThat(keyring.recipient()).contains(current.recipient());
    assertThat(keyring.identities()).containsExactly(current, previous);
    assertThat(keyring.toString())
        .contains(current.recipient().keyId())
        .doesNotContain(current.secretString())
        .doesNotContain(previous.secretString());
  }

  @Test
  void unsetOrBlankKeysMeanNone() {
    AgeKeyring keyring = new AgeKeyring(Optional.of(" "), Optional.empty(), ZSTD);

    assertThat(keyring.recipient()).isEmpty();
    assertThat(keyring.identities()).isEmpty();
  }
}
