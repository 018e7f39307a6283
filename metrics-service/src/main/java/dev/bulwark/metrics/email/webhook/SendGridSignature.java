package dev.bulwark.metrics.email.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Verifies SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature over the timestamp
 * header's bytes followed by the raw body, checked with the verification key SendGrid shows in its
 * settings (base64 DER SubjectPublicKeyInfo). It checks authenticity only; rejecting old timestamps
 * (replays) is the caller's choice.
 */
public final class SendGridSignature {

  public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
  public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

  private static final String ALGORITHM = "SHA256withECDSA";

  private final PublicKey key;

  /**
   * @param publicKeyBase64 the verification key as SendGrid shows it; PEM armour and line breaks
   *     are tolerated
   * @throws IllegalArgumentException when it is not a base64 DER EC P-256 public key, so a bad
   *     configuration fails at start rather than on the first webhook
   */
  public SendGridSignature(String publicKeyBase64) {
    this.key = parseKey(publicKeyBase64);
  }

  /** True only when {@code signatureBase64} is a valid signature of timestamp + body. */
  public boolean verify(String signatureBase64, String timestamp, byte[] body) {
    if (signatureBase64 == null
        || signatureBase64.isBlank()
        || timestamp == null
        || timestamp.isBlank()
        || body == null) {
      return false;
    }
    try {
      byte[] signature = Base64.getDecoder().decode(signatureBase64.strip());
      // Signature objects are not thread-safe; one per call is cheap next to the verification.
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
      verifier.update(body);
      return verifier.verify(signature);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // Bad base64, or a signature that is not DER: not a valid signature.
      return false;
    }
  }

  private static PublicKey parseKey(String publicKeyBase64) {
    if (publicKeyBase64 == null || publicKeyBase64.isBlank()) {
      throw new IllegalArgumentException("the SendGrid verification key is empty");
    }
    String base64 =
        publicKeyBase64
            .replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the SendGrid verification key is not valid base64");
    }
    PublicKey parsed;
    try {
      parsed = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the SendGrid verification key is not a DER-encoded EC public key"
              + " (copy it from SendGrid's Signed Event Webhook settings)");
    }
    if (!(parsed instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("the SendGrid verification key is not a P-256 EC key");
    }
    return parsed;
  }
}
