package dev.bulwark.backup.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.backup.llmcalls.ChatMessage;
import dev.bulwark.backup.llmcalls.LlmCall;
import dev.bulwark.backup.llmcalls.Prompt;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An archived call as read back: the fields it was sent with; absent ones are left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LlmCallView(
    String id,
    Instant startedAt,
    String provider,
    String model,
    String prompt,
    List<ChatMessage> messages,
    String completion,
    long inputTokens,
    long outputTokens,
    BigDecimal costUsd,
    long latencyMs,
    String status,
    String leadId,
    String step,
    String reservationId) {

  static LlmCallView of(LlmCall call) {
    return new LlmCallView(
        call.id(),
        call.startedAt(),
        call.provider(),
        call.model(),
        call.prompt() instanceof Prompt.Text text ? text.text() : null,
        call.prompt() instanceof Prompt.Chat chat ? chat.messages() : null,
        call.completion().orElse(null),
        call.inputTokens(),
        call.outputTokens(),
        call.costUsd(),
        call.latencyMs(),
        call.status().wire(),
        call.leadId().orElse(null),
        call.step().orElse(null),
        call.reservationId().orElse(null));
  }
}
