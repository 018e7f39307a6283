package dev.bulwark.metrics.email.webhook;

import static dev.bulwark.metrics.email.webhook.WebhookJson.optionalText;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredIsoInstant;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredObject;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredRecipients;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.metrics.email.BounceType;
import dev.bulwark.metrics.email.EmailEvent;
import dev.bulwark.metrics.email.EmailEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the Amazon SES notification carried in an SNS notification's {@code Message}, in either of
 * SES's formats: feedback notifications ({@code notificationType}) and event publishing ({@code
 * eventType}). A notification yields one event per recipient, with provider event id {@code <SNS
 * MessageId>:<recipient index>}: an SNS retry reuses the MessageId and so counts once, and a bounce
 * naming two recipients counts twice. Event kinds the rollups do not count (Send, Open, Click,
 * Reject, Rendering Failure, Subscription, and any SES may add) yield no event and one ignored.
 */
public final class SesNotifications {

  public static final String PROVIDER = "ses";

  private static final String AT = "Message";

  /** A counted SES kind: the object holding its details and the recipients each event is for. */
  private record Kind(String object, String recipients, EmailEventType type) {}

  private static final Map<String, Kind> KINDS =
      Map.of(
          "Bounce", new Kind("bounce", "bouncedRecipients", EmailEventType.BOUNCED),
          "Complaint", new Kind("complaint", "complainedRecipients", EmailEventType.COMPLAINED),
          "Delivery", new Kind("delivery", "recipients", EmailEventType.DELIVERED),
          "DeliveryDelay", new Kind("deliveryDelay", "delayedRecipients", EmailEventType.DEFERRED));

  private SesNotifications() {}

  /** Parses the {@code Message} of an SNS notification. */
  public static ParsedEvents parse(SnsMessage notification) {
    if (!notification.isNotification()) {
      throw new IllegalArgumentException(
          "only SNS notifications carry SES events, not " + notification.type().wire());
    }
    return parse(notification.messageId(), notification.message());
  }

  /**
   * Parses {@code message}, an SES notification as JSON text, delivered in the SNS message {@code
   * snsMessageId}.
   */
  public static ParsedEvents parse(String snsMessageId, String message) {
    if (snsMessageId == null || snsMessageId.isBlank()) {
      throw new InvalidWebhookPayload("MessageId", "is required");
    }
    JsonNode root =
        WebhookJson.read(message == null ? null : message.getBytes(StandardCharsets.UTF_8), AT);
    if (!root.isObject()) {
      throw new InvalidWebhookPayload(AT, "must be an Amazon SES notification (a JSON object)");
    }
    Kind kind = KINDS.get(kind(root));
    if (kind == null) {
      return new ParsedEvents(List.of(), 1);
    }
    JsonNode detail = requiredObject(root, kind.object(), AT);
    String at = AT + "." + kind.object();
    BounceType bounceType =
        kind.type() == EmailEventType.BOUNCED
            ? bounceType(requiredText(detail, "bounceType", at))
            : null;
    return events(
        root,
        snsMessageId,
        kind.type(),
        bounceType,
        requiredIsoInstant(detail, "timestamp", at),
        requiredRecipients(detail, kind.recipients(), at).size());
  }

  /**
   * {@code notificationType} for feedback notifications, {@code eventType} for event publishing.
   */
  private static String kind(JsonNode root) {
    String kind = optionalText(root, "notificationType", AT);
    if (kind == null) {
      kind = optionalText(root, "eventType", AT);
    }
    if (kind == null || kind.isBlank()) {
      throw new InvalidWebhookPayload(
          AT + ".notificationType",
          "is required (or eventType, for SES event publishing); is this an SES notification?");
    }
    return kind;
  }

  /** Permanent is hard; Transient, Undetermined and anything new count as soft. */
  private static BounceType bounceType(String sesBounceType) {
    return "Permanent".equals(sesBounceType) ? BounceType.HARD : BounceType.SOFT;
  }

  private static ParsedEvents events(
      JsonNode root,
      String snsMessageId,
      EmailEventType type,
      BounceType bounceType,
      Instant occurredAt,
      int recipients) {
    JsonNode mail = requiredObject(root, "mail", AT);
    String messageId = requiredText(mail, "messageId", AT + ".mail");
    String campaign = campaign(mail);
    List<EmailEvent> events = new ArrayList<>(recipients);
    for (int i = 0; i < recipients; i++) {
      events.add(
          new EmailEvent(
              PROVIDER, snsMessageId + ":" + i, messageId, type, bounceType, campaign, occurredAt));
    }
    return new ParsedEvents(events, 0);
  }

  /**
   * The first value of the {@code campaign} message tag; SES publishes tags only through event
   * publishing (a configuration set), so feedback notifications have none.
   */
  private static String campaign(JsonNode mail) {
    JsonNode tags = mail.get("tags");
    if (tags == null || !tags.isObject()) {
      return EmailEvent.NO_CAMPAIGN;
    }
    JsonNode campaign = tags.get("campaign");
    if (campaign == null || campaign.isNull()) {
      return EmailEvent.NO_CAMPAIGN;
    }
    if (!campaign.isArray()) {
      throw new InvalidWebhookPayload(AT + ".mail.tags.campaign", "must be an array of strings");
    }
    if (campaign.isEmpty()) {
      return EmailEvent.NO_CAMPAIGN;
    }
    JsonNode first = campaign.get(0);
    if (!first.isTextual()) {
      throw new InvalidWebhookPayload(AT + ".mail.tags.campaign[0]", "must be a string");
    }
    return first.textValue().isBlank() ? EmailEvent.NO_CAMPAIGN : first.textValue();
  }
}
