package dev.bulwark.metrics.email.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plays Amazon SNS in tests: an RSA key and a self-signed certificate (the committed test pair, or
 * a fresh one made by the JDK's keytool), and fixtures signed the way SNS signs them.
 */
public final class SnsSigner {

  /**
   * The SigningCertURL of the hand-written SNS fixtures, where {@link FixtureCertificates} serves
   * the certificate of {@link #fromFixtures()}.
   */
  public static final String FIXTURE_CERT_URL =
      "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem";

  private static final String PASSWORD = "changeit";
  private static final ObjectMapper JSON = new ObjectMapper();

  final PrivateKey key;
  final X509Certificate certificate;

  private SnsSigner(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /**
   * The committed test key pair ({@code webhooks/test-sns-signing-*.pem}, valid 2020 to 2119): the
   * same in the test and in the application, whichever class loader reads it.
   */
  public static SnsSigner fromFixtures() {
    try {
      String key =
          new String(Fixtures.bytes("test-sns-signing-key.pem"), UTF_8)
              .replaceAll("-----[A-Z ]+-----", "")
              .replaceAll("\\s", "");
      PrivateKey privateKey =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(Fixtures.bytes("test-sns-signing-cert.pem")));
      return new SnsSigner(privateKey, certificate);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh key valid for two days from now. */
  static SnsSigner generate() {
    return generate("-validity", "2");
  }

  /** A fresh key; {@code validity} are keytool options such as {@code -startdate -10d}. */
  static SnsSigner generate(String... validity) {
    try {
      Path dir = Files.createTempDirectory("sns-signer");
      Path store = dir.resolve("sns.p12");
      Path log = dir.resolve("keytool.log");
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-keyalg",
                  "RSA",
                  "-keysize",
                  "2048",
                  "-dname",
                  "CN=sns.us-east-1.amazonaws.com",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  PASSWORD,
                  "-keypass",
                  PASSWORD,
                  "-alias",
                  "sns"));
      command.addAll(List.of(validity));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + Files.readString(log));
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, PASSWORD.toCharArray());
      }
      SnsSigner signer =
          new SnsSigner(
              (PrivateKey) keys.getKey("sns", PASSWORD.toCharArray()),
              (X509Certificate) keys.getCertificate("sns"));
      Files.delete(store);
      Files.delete(log);
      Files.delete(dir);
      return signer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The certificate as SNS serves it at a SigningCertURL. */
  public byte[] pem() {
    try {
      return ("-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                  .encodeToString(certificate.getEncoded())
              + "\n-----END CERTIFICATE-----\n")
          .getBytes(UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fixture as JSON, to change fields of before or after {@link #sign}. */
  public static ObjectNode fixture(String name) {
    try {
      return (ObjectNode) JSON.readTree(Fixtures.bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An SNS body as text, signed with SignatureVersion 2 and published at {@code timestamp}. */
  public String sign(String body, Instant timestamp) {
    try {
      ObjectNode message = (ObjectNode) JSON.readTree(body);
      message.put("Timestamp", timestamp.toString());
      return JSON.writeValueAsString(sign(message, "2"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets SignatureVersion and a real Signature over the message's string to sign. */
  public ObjectNode sign(ObjectNode message, String signatureVersion) {
    message.put("SignatureVersion", signatureVersion);
    String text = SnsSignature.stringToSign(parse(message));
    try {
      Signature signature =
          Signature.getInstance("1".equals(signatureVersion) ? "SHA1withRSA" : "SHA256withRSA");
      signature.initSign(key);
      signature.update(text.getBytes(UTF_8));
      message.put("Signature", Base64.getEncoder().encodeToString(signature.sign()));
      return message;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static SnsMessage parse(ObjectNode message) {
    try {
      return SnsMessage.parse(JSON.writeValueAsBytes(message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
