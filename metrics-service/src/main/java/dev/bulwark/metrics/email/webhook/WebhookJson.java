package dev.bulwark.metrics.email.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads the fields of a provider's JSON and, when one is missing or of the wrong type, throws an
 * {@link InvalidWebhookPayload} naming its path ({@code [3].sg_event_id}, {@code
 * Message.bounce.timestamp}).
 */
final class WebhookJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private WebhookJson() {}

  static JsonNode read(byte[] json, String field) {
    if (json == null || json.length == 0) {
      throw new InvalidWebhookPayload(field, "is empty");
    }
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new InvalidWebhookPayload(field, "is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidWebhookPayload(field, "is not valid JSON");
    } catch (IOException e) {
      // Reading from a byte array does no I/O; treat anything else as unreadable input.
      throw new InvalidWebhookPayload(field, "cannot be read");
    }
  }

  static String path(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  static JsonNode requiredObject(JsonNode parent, String name, String prefix) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new InvalidWebhookPayload(path(prefix, name), "is required");
    }
    if (!node.isObject()) {
      throw new InvalidWebhookPayload(path(prefix, name), "must be an object");
    }
    return node;
  }

  static String requiredText(JsonNode parent, String name, String prefix) {
    String text = optionalText(parent, name, prefix);
    if (text == null || text.isBlank()) {
      throw new InvalidWebhookPayload(path(prefix, name), "is required");
    }
    return text;
  }

  /** The string value, or null when the field is absent or JSON null. */
  static String optionalText(JsonNode parent, String name, String prefix) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidWebhookPayload(path(prefix, name), "must be a string");
    }
    return node.textValue();
  }

  static JsonNode requiredRecipients(JsonNode parent, String name, String prefix) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new InvalidWebhookPayload(path(prefix, name), "is required");
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new InvalidWebhookPayload(path(prefix, name), "must be a non-empty array");
    }
    return node;
  }

  static Instant requiredIsoInstant(JsonNode parent, String name, String prefix) {
    String text = requiredText(parent, name, prefix);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidWebhookPayload(
          path(prefix, name), "must be an ISO-8601 UTC timestamp such as 2024-05-01T12:00:00Z");
    }
  }

  static Instant requiredEpochSeconds(JsonNode parent, String name, String prefix) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new InvalidWebhookPayload(path(prefix, name), "is required");
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new InvalidWebhookPayload(path(prefix, name), "must be unix seconds (an integer)");
    }
    try {
      return Instant.ofEpochSecond(node.longValue());
    } catch (java.time.DateTimeException e) {
      throw new InvalidWebhookPayload(path(prefix, name), "is out of range");
    }
  }
}
