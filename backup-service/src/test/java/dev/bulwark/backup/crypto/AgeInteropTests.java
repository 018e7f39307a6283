package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our age files against the real {@code age} 1.1.1 (Debian), in both directions. */
class AgeInteropTests {

  private static final int CHUNK = 64 * 1024;

  @TempDir Path dir;

  // Sizes around the chunk edges: empty (one empty chunk), a full last chunk, one byte past it.
  @ParameterizedTest
  @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 12_345})
  void ageDecryptsWhatWeEncrypt(int size) throws Exception {
    byte[] plaintext = randomBytes(size, size);
    AgeIdentity identity = AgeKeys.generate();
    Path keyFile = writeKey(identity);
    Path encrypted = dir.resolve("ours.age");
    try (OutputStream out =
        new AgeEncryptingOutputStream(Files.newOutputStream(encrypted), identity.recipient())) {
      // Odd write sizes, so chunk boundaries fall inside writes.
      for (int off = 0; off < size; off += 10_007) {
        out.write(plaintext, off, Math.min(10_007, size - off));
      }
    }

    byte[] decrypted = AgeCli.run(List.of("age", "-d", "-i", keyFile.toString()), encrypted);

    assertThat(decrypted).isEqualTo(plaintext);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 12_345})
  void weDecryptWhatAgeEncrypts(int size) throws Exception {
    byte[] plaintext = randomBytes(size, size + 1);
    AgeIdentity identity = AgeKeys.generate();
    Path input = dir.resolve("plain");
    Files.write(input, plaintext);
    Path encrypted = dir.resolve("theirs.age");
    AgeCli.run(
        List.of(
            "age",
            "-r",
            identity.recipient().keyId(),
            "-o",
            encrypted.toString(),
            input.toString()),
        null);

    byte[] decrypted;
    try (InputStream in =
        new AgeDecryptingInputStream(
            Files.newInputStream(encrypted), List.of(AgeKeys.generate(), identity))) {
      decrypted = readInOddPieces(in);
    }

    assertThat(decrypted).isEqualTo(plaintext);
  }

  private Path writeKey(AgeIdentity identity) throws IOException {
    Path keyFile = dir.resolve("key.txt");
    Files.writeString(keyFile, identity.secretString() + "\n");
    return keyFile;
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] readInOddPieces(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[7_919];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
