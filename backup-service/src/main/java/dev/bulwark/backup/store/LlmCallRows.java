package dev.bulwark.backup.store;

import dev.bulwark.backup.llmcalls.ChatMessage;
import dev.bulwark.backup.llmcalls.LlmCall;
import dev.bulwark.backup.llmcalls.LlmCallStatus;
import dev.bulwark.backup.llmcalls.Prompt;
import dev.bulwark.common.time.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The mapping between {@link LlmCall} and a row of {@code backup.llm_calls}. */
final class LlmCallRows {

  /** The columns that make an {@link LlmCall}, in {@link #call}'s order. */
  static final String COLUMNS =
      "id, started_at, provider, model, prompt, messages, completion, input_tokens,"
          + " output_tokens, cost_usd, latency_ms, status, lead_id, step, reservation_id";

  static final String INSERT =
      """
      INSERT INTO backup.llm_calls
        (id, started_at, provider, model, prompt, messages, completion, input_tokens,
         output_tokens, cost_usd, latency_ms, status, lead_id, step, reservation_id, raw_bytes,
         stored_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
      """;

  private LlmCallRows() {}

  static Tuple tuple(LlmCall call, Instant storedAt) {
    String text = call.prompt() instanceof Prompt.Text t ? t.text() : null;
    JsonArray messages = null;
    if (call.prompt() instanceof Prompt.Chat chat) {
      messages = new JsonArray();
      for (ChatMessage m : chat.messages()) {
        messages.add(new JsonObject().put("role", m.role()).put("content", m.content()));
      }
    }
    return Tuple.tuple(
        Arrays.asList(
            call.id(),
            Timestamps.utc(call.startedAt()),
            call.provider(),
            call.model(),
            text,
            messages,
            call.completion().orElse(null),
            call.inputTokens(),
            call.outputTokens(),
            call.costUsd(),
            call.latencyMs(),
            call.status().wire(),
            call.leadId().orElse(null),
            call.step().orElse(null),
            call.reservationId().orElse(null),
            call.rawBytes(),
            Timestamps.utc(storedAt)));
  }

  static LlmCall call(Row row) {
    String text = row.getString("prompt");
    Prompt prompt;
    if (text != null) {
      prompt = new Prompt.Text(text);
    } else {
      JsonArray messages = (JsonArray) row.getValue("messages");
      List<ChatMessage> chat = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = messages.getJsonObject(i);
        chat.add(new ChatMessage(m.getString("role"), m.getString("content")));
      }
      prompt = new Prompt.Chat(chat);
    }
    return new LlmCall(
        row.getString("id"),
        row.getOffsetDateTime("started_at").toInstant(),
        row.getString("provider"),
        row.getString("model"),
        prompt,
        Optional.ofNullable(row.getString("completion")),
        row.getLong("input_tokens"),
        row.getLong("output_tokens"),
        row.getBigDecimal("cost_usd"),
        row.getLong("latency_ms"),
        LlmCallStatus.named(row.getString("status")).orElseThrow(),
        Optional.ofNullable(row.getString("lead_id")),
        Optional.ofNullable(row.getString("step")),
        Optional.ofNullable(row.getString("reservation_id")));
  }
}
