package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The C2SP age test vectors (src/test/resources/age-testkit/README.md) for X25519 and STREAM. */
class AgeTestkitTests {

  private static final Map<String, Set<AgeDecryptionFailure>> FAILURES =
      Map.of(
          "header failure", Set.of(AgeDecryptionFailure.MALFORMED_HEADER),
          "no match", Set.of(AgeDecryptionFailure.NO_MATCHING_IDENTITY),
          "HMAC failure", Set.of(AgeDecryptionFailure.HEADER_ALTERED),
          "payload failure",
              Set.of(
                  AgeDecryptionFailure.CHUNK_ALTERED,
                  AgeDecryptionFailure.TRUNCATED,
                  AgeDecryptionFailure.TRAILING_DATA));

  static Stream<String> vectors() throws IOException, URISyntaxException {
    Path dir =
        Path.of(AgeTestkitTests.class.getResource("/age-testkit/README.md").toURI()).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.endsWith(".md"))
              .sorted()
              .toList();
      assertThat(names).hasSizeGreaterThan(40);
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decryptsAsTheVectorExpects(String name) throws Exception {
    Vector vector = Vector.read(name);

    if (vector.expect().equals("success")) {
      try (InputStream in =
          new AgeDecryptingInputStream(
              new ByteArrayInputStream(vector.file()), vector.identities())) {
        byte[] plaintext = in.readAllBytes();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plaintext)))
            .isEqualTo(vector.payloadSha256());
      }
      return;
    }
    assertThat(FAILURES).containsKey(vector.expect());
    AgeDecryptionException failure =
        catchThrowableOfType(
            () -> {
              try (InputStream in =
                  new AgeDecryptingInputStream(
                      new ByteArrayInputStream(vector.file()), vector.identities())) {
                in.transferTo(OutputStream.nullOutputStream());
              }
            },
            AgeDecryptionException.class);
    assertThat(failure).as(name + " must fail: " + vector.expect()).isNotNull();
    assertThat(failure.failure()).as(failure.getMessage()).isIn(FAILURES.get(vector.expect()));
  }

  private record Vector(
      String expect, String payloadSha256, List<AgeIdentity> identities, byte[] file) {

    static Vector read(String name) throws IOException {
      byte[] raw;
      try (InputStream in = AgeTestkitTests.class.getResourceAsStream("/age-testkit/" + name)) {
        raw = in.readAllBytes();
      }
      String expect = null;
      String payload = null;
      boolean zlib = false;
      List<AgeIdentity> identities = new ArrayList<>();
      int position = 0;
      while (true) {
        int end = indexOf(raw, (byte) '\n', position);
        String line = new String(raw, position, end - position, StandardCharsets.UTF_8);
        position = end + 1;
        if (line.isEmpty()) {
          break;
        }
        String key = line.substring(0, line.indexOf(": "));
        String value = line.substring(line.indexOf(": ") + 2);
        switch (key) {
          case "expect" -> expect = value;
          case "payload" -> payload = value;
          case "identity" -> identities.add(AgeKeys.parseIdentity(value));
          case "compressed" -> zlib = value.equals("zlib");
          default -> {} // file key, comment, armored: not needed to decrypt
        }
      }
      byte[] file = new byte[raw.length - position];
      System.arraycopy(raw, position, file, 0, file.length);
      if (zlib) {
        ByteArrayOutputStream inflated = new ByteArrayOutputStream();
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(file))) {
          in.transferTo(inflated);
        }
        file = inflated.toByteArray();
      }
      return new Vector(expect, payload, identities, file);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
      for (int i = from; i < bytes.length; i++) {
        if (bytes[i] == b) {
          return i;
        }
      }
      throw new IllegalStateException("no blank line ends the vector's headers");
    }
  }
}
