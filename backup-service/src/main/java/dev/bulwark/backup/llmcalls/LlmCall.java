package dev.bulwark.backup.llmcalls;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One archived LLM call. {@code id} is the caller's idempotency key; {@code costUsd} is at {@code
 * Money}'s scale.
 */
public record LlmCall(
    String id,
    Instant startedAt,
    String provider,
    String model,
    Prompt prompt,
    Optional<String> completion,
    long inputTokens,
    long outputTokens,
    BigDecimal costUsd,
    long latencyMs,
    LlmCallStatus status,
    Optional<String> leadId,
    Optional<String> step,
    Optional<String> reservationId) {

  /** UTF-8 bytes of prompt and completion: what the archive holds before compression. */
  public long rawBytes() {
    return prompt.rawBytes()
        + completion.map(c -> (long) c.getBytes(StandardCharsets.UTF_8).length).orElse(0L);
  }

  /**
   * A digest of everything the caller sent, to tell a retry of this call (same digest) from another
   * call under the same id. Each field is length-prefixed, so no two contents share a text.
   */
  public String digest() {
    List<String> fields = new ArrayList<>();
    fields.add(id);
    fields.add(startedAt.toString());
    fields.add(provider);
    fields.add(model);
    if (prompt instanceof Prompt.Text text) {
      fields.add("text");
      fields.add(text.text());
    } else if (prompt instanceof Prompt.Chat chat) {
      fields.add("chat");
      chat.messages()
          .forEach(
              m -> {
                fields.add(m.role());
                fields.add(m.content());
              });
    }
    fields.add(completion.map(c -> "+" + c).orElse("-"));
    fields.add(Long.toString(inputTokens));
    fields.add(Long.toString(outputTokens));
    fields.add(costUsd.toPlainString());
    fields.add(Long.toString(latencyMs));
    fields.add(status.wire());
    fields.add(leadId.map(l -> "+" + l).orElse("-"));
    fields.add(step.map(s -> "+" + s).orElse("-"));
    fields.add(reservationId.map(r -> "+" + r).orElse("-"));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String field : fields) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
