package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgeKeysTests {

  @TempDir Path dir;

  @Test
  void parsesWhatAgeKeygenWrites() throws Exception {
    Path keyFile = dir.resolve("key.txt");
    AgeCli.run(List.of("age-keygen", "-o", keyFile.toString()), null);
    String content = Files.readString(keyFile, StandardCharsets.UTF_8);
    Matcher publicKey = Pattern.compile("# public key: (age1\\S+)").matcher(content);
    assertThat(publicKey.find()).as("age-keygen names the public key").isTrue();

    List<AgeIdentity> identities = AgeKeys.parseIdentities(content);

    assertThat(identities).hasSize(1);
    assertThat(identities.get(0).recipient().keyId()).isEqualTo(publicKey.group(1));
    assertThat(AgeKeys.parseRecipient(publicKey.group(1))).isEqualTo(identities.get(0).recipient());
    assertThat(content).contains(identities.get(0).secretString());
  }

  @Test
  void derivesTheSameRecipientAsAgeKeygen() throws Exception {
    AgeIdentity identity = AgeKeys.generate();
    Path keyFile = dir.resolve("generated.txt");
    Files.writeString(keyFile, identity.secretString() + "\n");

    String recipient =
        new String(
                AgeCli.run(List.of("age-keygen", "-y", keyFile.toString()), null),
                StandardCharsets.US_ASCII)
            .strip();

    assertThat(identity.recipient().keyId()).isEqualTo(recipient).startsWith("age1");
    assertThat(identity.secretString()).startsWith("AGE-SECRET-KEY-1");
  }

  @Test
  void rejectsAMistypedKeyByItsChecksumWithoutRepeatingIt() {
    String secret = AgeKeys.generate().secretString();
    String mistyped =
        secret.substring(0, 30) + flip(secret.charAt(30), true) + secret.substring(31);
    String recipient = AgeKeys.generate().recipient().keyId();
    String mistypedRecipient =
        recipient.substring(0, 20) + flip(recipient.charAt(20), false) + recipient.substring(21);

    assertThatThrownBy(() -> AgeKeys.parseIdentity(mistyped))
        .isInstanceOf(MalformedAgeKey.class)
        .hasMessageContaining("checksum")
        .message()
        .doesNotContain(mistyped.substring(16));
    assertThatThrownBy(() -> AgeKeys.parseRecipient(mistypedRecipient))
        .isInstanceOf(MalformedAgeKey.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void rejectsKeysOfTheWrongKindOrCase() {
    AgeIdentity identity = AgeKeys.generate();
    String secret = identity.secretString();

    assertThatThrownBy(() -> AgeKeys.parseRecipient(secret))
        .isInstanceOf(MalformedAgeKey.class)
        .hasMessageContaining("must start with age1");
    assertThatThrownBy(() -> AgeKeys.parseIdentity(identity.recipient().keyId()))
        .isInstanceOf(MalformedAgeKey.class)
        .hasMessageContaining("must start with AGE-SECRET-KEY-1");
    String mixedCase = secret.substring(0, 20) + secret.substring(20).toLowerCase();
    assertThatThrownBy(() -> AgeKeys.parseIdentity(mixedCase))
        .isInstanceOf(MalformedAgeKey.class)
        .hasMessageContaining("mixes upper and lower case");
  }

  @Test
  void readsSeveralIdentitiesForRotation() {
    AgeIdentity current = AgeKeys.generate();
    AgeIdentity previous = AgeKeys.generate();
    AgeIdentity oldest = AgeKeys.generate();
    String text =
        "# current\n"
            + current.secretString()
            + "\n\n# older ones, kept while their backups are retained\n"
            + previous.secretString()
            + ", "
            + oldest.secretString()
            + "\n";

    assertThat(AgeKeys.parseIdentities(text)).containsExactly(current, previous, oldest);
  }

  @Test
  void neverPrintsTheSecret() {
    AgeIdentity identity = AgeKeys.generate();

    assertThat(identity.toString())
        .contains(identity.recipient().keyId())
        .doesNotContain(identity.secretString())
        .doesNotContain(identity.secretString().substring(16, 40));
  }

  /** Another character of the bech32 alphabet, in the case of the key it goes into. */
  private static char flip(char c, boolean upper) {
    char other = Character.toLowerCase(c) == 'q' ? 'p' : 'q';
    return upper ? Character.toUpperCase(other) : other;
  }
}
