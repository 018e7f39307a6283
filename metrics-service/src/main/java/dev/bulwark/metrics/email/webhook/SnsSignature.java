package dev.bulwark.metrics.email.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Amazon SNS message signatures, as AWS documents them ("Verifying the signatures of Amazon SNS
 * messages"): an RSA signature over {@code Key\nValue\n} pairs of fixed fields in a fixed order,
 * SHA1withRSA for SignatureVersion 1 and SHA256withRSA for 2. Which certificate to trust is {@link
 * SigningCertificates}' business; this class only checks the signature.
 */
public final class SnsSignature {

  private SnsSignature() {}

  /** Whether {@code message}'s Signature was made by the key of {@code certificate}. */
  public static boolean verify(SnsMessage message, X509Certificate certificate) {
    String algorithm = algorithm(message.signatureVersion());
    if (algorithm == null) {
      return false;
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(message.signature());
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(stringToSign(message).getBytes(UTF_8));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The JCA algorithm of a SignatureVersion, or null for one SNS does not use. */
  static String algorithm(String signatureVersion) {
    return switch (signatureVersion) {
      case "1" -> "SHA1withRSA";
      case "2" -> "SHA256withRSA";
      default -> null;
    };
  }

  /** The text SNS signs: the type's fields in AWS's order, each as {@code Key\nValue\n}. */
  public static String stringToSign(SnsMessage message) {
    StringBuilder text = new StringBuilder();
    append(text, "Message", message.message());
    append(text, "MessageId", message.messageId());
    if (message.isNotification()) {
      if (message.subject() != null) {
        append(text, "Subject", message.subject());
      }
      append(text, "Timestamp", message.timestampText());
    } else {
      append(text, "SubscribeURL", message.subscribeUrl());
      append(text, "Timestamp", message.timestampText());
      append(text, "Token", message.token());
    }
    append(text, "TopicArn", message.topicArn());
    append(text, "Type", message.type().wire());
    return text.toString();
  }

  private static void append(StringBuilder text, String key, String value) {
    text.append(key).append('\n').append(value).append('\n');
  }
}
