package dev.bulwark.metrics.email.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SendGridSignatureTests {

  private static final String TIMESTAMP = "1745488810";

  private final SendGridSigner signer = new SendGridSigner();
  private final SendGridSignature signature = new SendGridSignature(signer.publicKeyBase64());
  private final byte[] body = Fixtures.bytes("sendgrid-batch.json");

  @Test
  void acceptsASignatureOverTimestampAndBody() {
    assertThat(signature.verify(signer.sign(TIMESTAMP, body), TIMESTAMP, body)).isTrue();
  }

  @Test
  void rejectsABodyWithOneByteChanged() {
    String signed = signer.sign(TIMESTAMP, body);
    byte[] tampered = body.clone();
    tampered[tampered.length / 2] ^= 1;

    assertThat(signature.verify(signed, TIMESTAMP, tampered)).isFalse();
  }

  @Test
  void rejectsAnotherTimestamp() {
    String signed = signer.sign(TIMESTAMP, body);

    assertThat(signature.verify(signed, "1745488811", body)).isFalse();
  }

  @Test
  void rejectsASignatureMadeWithAnotherKey() {
    String signed = new SendGridSigner().sign(TIMESTAMP, body);

    assertThat(signature.verify(signed, TIMESTAMP, body)).isFalse();
  }

  @Test
  void rejectsMissingOrMalformedInputsWithoutThrowing() {
    String signed = signer.sign(TIMESTAMP, body);

    assertThat(signature.verify("not base64 at all!", TIMESTAMP, body)).isFalse();
    assertThat(
            signature.verify(
                Base64.getEncoder().encodeToString("junk".getBytes(UTF_8)), TIMESTAMP, body))
        .isFalse();
    assertThat(signature.verify(null, TIMESTAMP, body)).isFalse();
    assertThat(signature.verify("", TIMESTAMP, body)).isFalse();
    assertThat(signature.verify(signed, null, body)).isFalse();
    assertThat(signature.verify(signed, TIMESTAMP, null)).isFalse();
  }

  @Test
  void acceptsTheKeyInPemArmour() {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + signer.publicKeyBase64().replaceAll("(.{64})", "$1\n")
            + "\n-----END PUBLIC KEY-----\n";

    assertThat(new SendGridSignature(pem).verify(signer.sign(TIMESTAMP, body), TIMESTAMP, body))
        .isTrue();
  }

  @Test
  void refusesAKeyThatIsNotAnEcPublicKey() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaKey =
        Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded());

    assertThatThrownBy(() -> new SendGridSignature("not a key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SendGrid verification key");
    assertThatThrownBy(
            () -> new SendGridSignature(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a DER-encoded EC public key");
    assertThatThrownBy(() -> new SendGridSignature(rsaKey))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SendGridSignature(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }
}
