package dev.bulwark.metrics.email.webhook;

import static dev.bulwark.metrics.email.webhook.WebhookJson.optionalText;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredEpochSeconds;
import static dev.bulwark.metrics.email.webhook.WebhookJson.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.metrics.email.BounceType;
import dev.bulwark.metrics.email.EmailEvent;
import dev.bulwark.metrics.email.EmailEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of SendGrid's Event Webhook: a JSON array of events. Delivered, bounce, deferred
 * and spamreport become {@link EmailEvent}s; every other event (processed, dropped, open, click,
 * unsubscribes, and names SendGrid may add later) is valid but only counted as ignored, so one new
 * event kind cannot make SendGrid retry a whole batch.
 */
public final class SendGridEvents {

  public static final String PROVIDER = "sendgrid";

  private SendGridEvents() {}

  /** Parses a whole batch, or throws an InvalidWebhookPayload naming the first bad field. */
  public static ParsedEvents parse(byte[] body) {
    JsonNode root = WebhookJson.read(body, "body");
    if (!root.isArray()) {
      throw new InvalidWebhookPayload("body", "must be a JSON array of SendGrid events");
    }
    List<EmailEvent> events = new ArrayList<>(root.size());
    int ignored = 0;
    for (int i = 0; i < root.size(); i++) {
      EmailEvent event = event(root.get(i), "[" + i + "]");
      if (event == null) {
        ignored++;
      } else {
        events.add(event);
      }
    }
    return new ParsedEvents(events, ignored);
  }

  /** The event at {@code at}, or null when it is valid but not one the rollups count. */
  private static EmailEvent event(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new InvalidWebhookPayload(at, "must be an object");
    }
    String eventId = requiredText(node, "sg_event_id", at);
    String name = requiredText(node, "event", at);
    Instant occurredAt = requiredEpochSeconds(node, "timestamp", at);
    String messageId = optionalText(node, "sg_message_id", at);
    String campaign = campaign(node, at);
    EmailEventType type;
    BounceType bounceType = null;
    switch (name) {
      case "delivered" -> type = EmailEventType.DELIVERED;
      case "deferred" -> type = EmailEventType.DEFERRED;
      case "spamreport" -> type = EmailEventType.COMPLAINED;
      case "bounce" -> {
        type = EmailEventType.BOUNCED;
        // SendGrid reports a block (a temporary refusal by the receiver) as a bounce of type
        // "blocked"; type "bounce" (or none, in older payloads) is a permanent one.
        bounceType =
            "blocked".equals(optionalText(node, "type", at)) ? BounceType.SOFT : BounceType.HARD;
      }
      default -> {
        return null;
      }
    }
    return new EmailEvent(PROVIDER, eventId, messageId, type, bounceType, campaign, occurredAt);
  }

  /**
   * The custom arg {@code campaign}, else the first category, else {@link EmailEvent#NO_CAMPAIGN}.
   */
  private static String campaign(JsonNode node, String at) {
    String campaign = optionalText(node, "campaign", at);
    if (campaign != null && !campaign.isBlank()) {
      return campaign;
    }
    JsonNode category = node.get("category");
    if (category == null || category.isNull()) {
      return EmailEvent.NO_CAMPAIGN;
    }
    if (category.isTextual()) {
      return category.textValue().isBlank() ? EmailEvent.NO_CAMPAIGN : category.textValue();
    }
    if (!category.isArray()) {
      throw new InvalidWebhookPayload(
          WebhookJson.path(at, "category"), "must be a string or an array of strings");
    }
    for (int i = 0; i < category.size(); i++) {
      if (!category.get(i).isTextual()) {
        throw new InvalidWebhookPayload(
            WebhookJson.path(at, "category") + "[" + i + "]", "must be a string");
      }
    }
    if (category.isEmpty() || category.get(0).textValue().isBlank()) {
      return EmailEvent.NO_CAMPAIGN;
    }
    return category.get(0).textValue();
  }
}
