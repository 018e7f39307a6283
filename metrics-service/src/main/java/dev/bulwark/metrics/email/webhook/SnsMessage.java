package dev.bulwark.metrics.email.webhook;

import static dev.bulwark.metrics.email.webhook.WebhookJson.optionalText;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredIsoInstant;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One Amazon SNS HTTP(S) delivery: a notification or a (un)subscribe confirmation. SNS posts it
 * with Content-Type text/plain, so the caller hands over the raw bytes. {@code subject} is
 * optional; {@code subscribeUrl} and {@code token} are present exactly for confirmations, {@code
 * unsubscribeUrl} for notifications. {@code timestampText} is the Timestamp as sent, which the
 * signature covers ({@link SnsSignature}).
 */
public record SnsMessage(
    Type type,
    String messageId,
    String topicArn,
    String subject,
    String message,
    Instant timestamp,
    String timestampText,
    String signatureVersion,
    String signature,
    String signingCertUrl,
    String subscribeUrl,
    String token,
    String unsubscribeUrl) {

  /** The {@code Type} of an SNS delivery. */
  public enum Type {
    NOTIFICATION("Notification"),
    SUBSCRIPTION_CONFIRMATION("SubscriptionConfirmation"),
    UNSUBSCRIBE_CONFIRMATION("UnsubscribeConfirmation");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static Type fromWire(String wire) {
      for (Type type : values()) {
        if (type.wire.equals(wire)) {
          return type;
        }
      }
      throw new InvalidWebhookPayload(
          "Type",
          "must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation, not '"
              + wire
              + "'");
    }
  }

  /** Parses an SNS body, or throws an InvalidWebhookPayload naming the field that is wrong. */
  public static SnsMessage parse(byte[] body) {
    JsonNode root = WebhookJson.read(body, "body");
    if (!root.isObject()) {
      throw new InvalidWebhookPayload("body", "must be an Amazon SNS message (a JSON object)");
    }
    Type type = Type.fromWire(requiredText(root, "Type", ""));
    boolean confirmation = type != Type.NOTIFICATION;
    return new SnsMessage(
        type,
        requiredText(root, "MessageId", ""),
        requiredText(root, "TopicArn", ""),
        optionalText(root, "Subject", ""),
        requiredText(root, "Message", ""),
        requiredIsoInstant(root, "Timestamp", ""),
        requiredText(root, "Timestamp", ""),
        requiredText(root, "SignatureVersion", ""),
        requiredText(root, "Signature", ""),
        requiredText(root, "SigningCertURL", ""),
        confirmation ? requiredText(root, "SubscribeURL", "") : null,
        confirmation ? requiredText(root, "Token", "") : null,
        confirmation ? null : optionalText(root, "UnsubscribeURL", ""));
  }

  public boolean isNotification() {
    return type == Type.NOTIFICATION;
  }
}
