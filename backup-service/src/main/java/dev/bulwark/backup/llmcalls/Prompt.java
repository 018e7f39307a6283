package dev.bulwark.backup.llmcalls;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** What a call sent to the model: plain text or chat messages. */
public sealed interface Prompt {

  /** UTF-8 bytes of the prompt's text, for the archive's raw size. */
  long rawBytes();

  /** A completion-style prompt. */
  record Text(String text) implements Prompt {
    @Override
    public long rawBytes() {
      return text.getBytes(StandardCharsets.UTF_8).length;
    }
  }

  /** A chat prompt. */
  record Chat(List<ChatMessage> messages) implements Prompt {
    public Chat {
      messages = List.copyOf(messages);
    }

    @Override
    public long rawBytes() {
      return messages.stream()
          .mapToLong(
              m ->
                  m.role().getBytes(StandardCharsets.UTF_8).length
                      + m.content().getBytes(StandardCharsets.UTF_8).length)
          .sum();
    }
  }
}
