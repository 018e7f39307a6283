package dev.bulwark.backup.crypto;

import static dev.bulwark.backup.crypto.AgeInteropTests.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An altered, cut or foreign age file fails with a typed error and releases no unverified byte. */
class AgeTamperingTests {

  private static final int CHUNK = 64 * 1024;
  private static final int SEALED = CHUNK + 16;

  @TempDir Path dir;

  private final AgeIdentity identity = AgeKeys.generate();
  private final byte[] plaintext = randomBytes(3 * CHUNK + 1_000, 42);
  private byte[] file;
  private int payloadStart;

  @BeforeEach
  void encryptFourChunks() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream age = new AgeEncryptingOutputStream(out, identity.recipient())) {
      age.write(plaintext);
    }
    file = out.toByteArray();
    String text = new String(file, StandardCharsets.ISO_8859_1);
    payloadStart = text.indexOf('\n', text.indexOf("\n---") + 1) + 1 + 16;
    assertThat(file.length - payloadStart).as("four sealed chunks").isEqualTo(3 * SEALED + 1_016);
  }

  @Test
  void anAlteredHeaderMacFailsBeforeAnyPlaintext() throws Exception {
    int macStart = new String(file, StandardCharsets.ISO_8859_1).indexOf("\n--- ") + 5;
    byte[] altered = file.clone();
    // The MAC's first base64 character carries six MAC bits: another letter stays canonical.
    altered[macStart] = (byte) (altered[macStart] == 'A' ? 'B' : 'A');

    AgeDecryptionException failure = decryptFailure(altered);

    assertThat(failure.failure()).isEqualTo(AgeDecryptionFailure.HEADER_ALTERED);
    assertThat(failure.chunk()).isEmpty();
    assertAgeRefuses(altered);
  }

  @Test
  void anAlteredMiddleChunkFailsNamingItAndReleasesOnlyTheChunksBefore() throws Exception {
    byte[] altered = file.clone();
    altered[payloadStart + SEALED + 500] ^= 0x01; // inside chunk 1

    ByteArrayOutputStream released = new ByteArrayOutputStream();
    AgeDecryptionException failure =
        catchThrowableOfType(
            () -> {
              try (InputStream in = open(altered)) {
                in.transferTo(released);
              }
            },
            AgeDecryptionException.class);

    assertThat(failure.failure()).isEqualTo(AgeDecryptionFailure.CHUNK_ALTERED);
    assertThat(failure.chunk()).hasValue(1);
    assertThat(failure).hasMessageStartingWith("chunk 1: ");
    assertThat(released.toByteArray()).isEqualTo(Arrays.copyOf(plaintext, CHUNK));
    assertAgeRefuses(altered);
  }

  @Test
  void aFileCutAtAChunkBoundaryIsTruncated() throws Exception {
    byte[] cut = Arrays.copyOf(file, payloadStart + 2 * SEALED);

    AgeDecryptionException failure = decryptFailure(cut);

    assertThat(failure.failure()).isEqualTo(AgeDecryptionFailure.TRUNCATED);
    assertThat(failure.chunk()).hasValue(2);
    assertAgeRefuses(cut);
  }

  @Test
  void aFileCutInsideAChunkFailsThatChunk() throws Exception {
    byte[] cut = Arrays.copyOf(file, payloadStart + SEALED + 1_000);

    AgeDecryptionException failure = decryptFailure(cut);

    assertThat(failure.failure()).isEqualTo(AgeDecryptionFailure.CHUNK_ALTERED);
    assertThat(failure.chunk()).hasValue(1);
  }

  @Test
  void aFileCutInsideItsHeaderIsMalformed() {
    byte[] cut = Arrays.copyOf(file, 40);

    assertThat(decryptFailure(cut).failure()).isEqualTo(AgeDecryptionFailure.MALFORMED_HEADER);
  }

  @Test
  void bytesAfterAFullLastChunkAreRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream age = new AgeEncryptingOutputStream(out, identity.recipient())) {
      age.write(randomBytes(2 * CHUNK, 7));
    }
    byte[] longer = Arrays.copyOf(out.toByteArray(), out.size() + 1);

    AgeDecryptionException failure = decryptFailure(longer);

    assertThat(failure.failure()).isEqualTo(AgeDecryptionFailure.TRAILING_DATA);
    assertThat(failure.chunk()).hasValue(1);
    assertAgeRefuses(longer);
  }

  @Test
  void theWrongIdentityFailsNamingTheKeysTried() {
    AgeIdentity stranger = AgeKeys.generate();

    assertThatThrownBy(
            () -> new AgeDecryptingInputStream(new ByteArrayInputStream(file), List.of(stranger)))
        .isInstanceOfSatisfying(
            AgeDecryptionException.class,
            e -> assertThat(e.failure()).isEqualTo(AgeDecryptionFailure.NO_MATCHING_IDENTITY))
        .hasMessageContaining(stranger.recipient().keyId())
        .message()
        .doesNotContain(stranger.secretString());
  }

  @Test
  void anUntouchedFileDecrypts() throws Exception {
    try (InputStream in = open(file)) {
      assertThat(in.readAllBytes()).isEqualTo(plaintext);
    }
  }

  private AgeDecryptionException decryptFailure(byte[] bytes) {
    return catchThrowableOfType(
        () -> {
          try (InputStream in = open(bytes)) {
            in.transferTo(OutputStream.nullOutputStream());
          }
        },
        AgeDecryptionException.class);
  }

  private InputStream open(byte[] bytes) throws IOException {
    return new AgeDecryptingInputStream(new ByteArrayInputStream(bytes), List.of(identity));
  }

  /** The reference implementation refuses the same file, so our test files are honest. */
  private void assertAgeRefuses(byte[] bytes) throws IOException {
    Path encrypted = dir.resolve("tampered.age");
    Files.write(encrypted, bytes);
    Path keyFile = dir.resolve("key.txt");
    Files.writeString(keyFile, identity.secretString() + "\n");
    assertThatThrownBy(() -> AgeCli.run(List.of("age", "-d", "-i", keyFile.toString()), encrypted))
        .isInstanceOf(AgeCli.CliFailed.class);
  }
}
