package dev.bulwark.testing;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Mints RS256 tokens for tests. The key pair is made once per build under {@code target/test-jwt}
 * (never committed), so the application and the test, even in different class loaders, agree.
 */
public final class TestJwt {

  public static final String ISSUER = "bulwark";

  private TestJwt() {}

  /** A valid token for ten minutes carrying the given roles in {@code groups}. */
  public static String token(String... roles) {
    Instant now = Instant.now();
    return sign(roles, now, now.plusSeconds(600));
  }

  /** A valid token for {@code validity}, for a caller that keeps one token for a whole run. */
  public static String token(Duration validity, String... roles) {
    Instant now = Instant.now();
    return sign(roles, now, now.plus(validity));
  }

  /** A token signed by the right key that expired ten minutes ago. */
  public static String expiredToken(String... roles) {
    Instant now = Instant.now();
    return sign(roles, now.minusSeconds(1200), now.minusSeconds(600));
  }

  /** A well-formed token signed by a key the services do not trust. */
  public static String foreignToken(String... roles) {
    try {
      KeyPair other = newKeyPair();
      Instant now = Instant.now();
      return claims(roles, now, now.plusSeconds(600))
          .jws()
          .keyId("foreign")
          .sign(other.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Path of the PEM public key, for {@code mp.jwt.verify.publickey.location}. */
  public static Path publicKeyPem() {
    ensureKeys();
    return dir().resolve("public.pem");
  }

  /** The public key as base64 DER, for {@code mp.jwt.verify.publickey}. */
  public static String publicKeyBase64() {
    try {
      return stripPem(Files.readString(publicKeyPem()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sign(String[] roles, Instant issuedAt, Instant expiresAt) {
    return claims(roles, issuedAt, expiresAt).jws().keyId("bulwark-test").sign(privateKey());
  }

  private static io.smallrye.jwt.build.JwtClaimsBuilder claims(
      String[] roles, Instant issuedAt, Instant expiresAt) {
    return Jwt.issuer(ISSUER)
        .upn("test-" + String.join("-", roles))
        .subject("test-" + String.join("-", roles))
        .groups(Set.of(roles))
        .issuedAt(issuedAt)
        .expiresAt(expiresAt);
  }

  private static PrivateKey privateKey() {
    ensureKeys();
    try {
      byte[] der =
          Base64.getMimeDecoder().decode(stripPem(Files.readString(dir().resolve("private.pem"))));
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static synchronized void ensureKeys() {
    Path dir = dir();
    if (Files.exists(dir.resolve("public.pem"))) {
      return;
    }
    try {
      Files.createDirectories(dir);
      KeyPair pair = newKeyPair();
      writeAtomically(
          dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      // public.pem last: its presence means the pair is complete.
      writeAtomically(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), "key", ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static String stripPem(String pem) {
    return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
  }

  private static Path dir() {
    return Path.of("target", "test-jwt").toAbsolutePath();
  }
}
