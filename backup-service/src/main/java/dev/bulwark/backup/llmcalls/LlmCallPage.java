package dev.bulwark.backup.llmcalls;

import java.util.List;
import java.util.Optional;

/** One page of archived calls, and where the next starts when there is one. */
public record LlmCallPage(List<LlmCall> calls, Optional<LlmCallCursor> next) {

  public LlmCallPage {
    calls = List.copyOf(calls);
  }
}
