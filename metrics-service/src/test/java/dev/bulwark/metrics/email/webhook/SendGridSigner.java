package dev.bulwark.metrics.email.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Signs webhook bodies the way SendGrid's Signed Event Webhook does, with a fresh P-256 key pair:
 * configure the service with {@link #publicKeyBase64()} and send {@link #sign} as the {@code
 * X-Twilio-Email-Event-Webhook-Signature} header next to the same timestamp.
 */
public final class SendGridSigner {

  private final KeyPair keys;

  public SendGridSigner() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
    }
  }

  /** The verification key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  /** Base64 of the DER ECDSA signature over the timestamp's bytes followed by the body. */
  public String sign(String timestamp, byte[] body) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
      signer.update(body);
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }
}
