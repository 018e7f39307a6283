package dev.bulwark.metrics.email.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plays Amazon SNS in tests: an RSA key and a self-signed certificate made by the JDK's keytool (no
 * test dependency), and fixtures signed the way SNS signs them.
 */
final class SnsSigner {

  private static final String PASSWORD = "changeit";
  private static final ObjectMapper JSON = new ObjectMapper();

  final PrivateKey key;
  final X509Certificate certificate;

  private SnsSigner(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
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
  byte[] pem() {
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
  static ObjectNode fixture(String name) {
    try {
      return (ObjectNode) JSON.readTree(Fixtures.bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets SignatureVersion and a real Signature over the message's string to sign. */
  ObjectNode sign(ObjectNode message, String signatureVersion) {
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
