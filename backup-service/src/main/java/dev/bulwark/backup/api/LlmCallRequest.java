package dev.bulwark.backup.api;

import dev.bulwark.backup.llmcalls.ChatMessage;
import dev.bulwark.backup.llmcalls.LlmCall;
import dev.bulwark.backup.llmcalls.LlmCallLimits;
import dev.bulwark.backup.llmcalls.LlmCallProblems.InvalidLlmCall;
import dev.bulwark.backup.llmcalls.LlmCallStatus;
import dev.bulwark.backup.llmcalls.Prompt;
import dev.bulwark.common.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One call as the pipeline sends it. Checked here rather than by Bean Validation so that a bad
 * field is named with its place in the batch ({@code calls[3].model}) and rules across fields
 * (prompt or messages) read alongside the others.
 */
public record LlmCallRequest(
    String id,
    String provider,
    String model,
    Instant startedAt,
    String prompt,
    List<ChatMessageRequest> messages,
    String completion,
    Long inputTokens,
    Long outputTokens,
    BigDecimal costUsd,
    Long latencyMs,
    String status,
    String leadId,
    String step,
    String reservationId) {

  /** The call, or an {@link InvalidLlmCall} naming the first bad field of call {@code index}. */
  LlmCall toCall(int index) {
    return new LlmCall(
        name(index, "id", id),
        required(index, "startedAt", startedAt),
        name(index, "provider", provider),
        name(index, "model", model),
        prompt(index),
        Optional.ofNullable(completion),
        count(index, "inputTokens", inputTokens),
        count(index, "outputTokens", outputTokens),
        cost(index),
        count(index, "latencyMs", latencyMs),
        LlmCallStatus.named(required(index, "status", status))
            .orElseThrow(
                () ->
                    new InvalidLlmCall(index, "status", "must be one of " + LlmCallStatus.names())),
        optionalName(index, "leadId", leadId),
        optionalName(index, "step", step),
        optionalName(index, "reservationId", reservationId));
  }

  private Prompt prompt(int index) {
    if ((prompt == null) == (messages == null)) {
      throw new InvalidLlmCall(
          index, "prompt", "give either prompt (text) or messages (a chat), exactly one");
    }
    if (prompt != null) {
      return new Prompt.Text(prompt);
    }
    if (messages.isEmpty()) {
      throw new InvalidLlmCall(index, "messages", "must hold at least one message");
    }
    List<ChatMessage> chat = new ArrayList<>();
    for (int m = 0; m < messages.size(); m++) {
      ChatMessageRequest message = messages.get(m);
      if (message == null) {
        throw new InvalidLlmCall(index, "messages[" + m + "]", "must be {role, content}");
      }
      chat.add(
          new ChatMessage(
              name(index, "messages[" + m + "].role", message.role()),
              required(index, "messages[" + m + "].content", message.content())));
    }
    return new Prompt.Chat(chat);
  }

  private BigDecimal cost(int index) {
    BigDecimal cost = required(index, "costUsd", costUsd);
    if (cost.signum() < 0) {
      throw new InvalidLlmCall(index, "costUsd", "must not be negative");
    }
    try {
      return Money.exact(cost);
    } catch (IllegalArgumentException e) {
      throw new InvalidLlmCall(index, "costUsd", e.getMessage());
    }
  }

  private static long count(int index, String field, Long value) {
    if (required(index, field, value) < 0) {
      throw new InvalidLlmCall(index, field, "must not be negative");
    }
    return value;
  }

  private static String name(int index, String field, String value) {
    if (required(index, field, value).isBlank()) {
      throw new InvalidLlmCall(index, field, "must not be blank");
    }
    if (value.length() > LlmCallLimits.MAX_NAME) {
      throw new InvalidLlmCall(
          index, field, "must be at most " + LlmCallLimits.MAX_NAME + " characters");
    }
    return value;
  }

  private static Optional<String> optionalName(int index, String field, String value) {
    return value == null ? Optional.empty() : Optional.of(name(index, field, value));
  }

  private static <T> T required(int index, String field, T value) {
    if (value == null) {
      throw new InvalidLlmCall(index, field, "is required");
    }
    return value;
  }
}
