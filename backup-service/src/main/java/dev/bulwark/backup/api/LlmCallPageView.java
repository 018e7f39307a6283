package dev.bulwark.backup.api;

import dev.bulwark.backup.llmcalls.LlmCallCursor;
import dev.bulwark.backup.llmcalls.LlmCallPage;
import java.util.List;

/** One page of calls in startedAt, id order; {@code nextCursor} is null on the last page. */
public record LlmCallPageView(List<LlmCallView> calls, String nextCursor) {

  static LlmCallPageView of(LlmCallPage page) {
    return new LlmCallPageView(
        page.calls().stream().map(LlmCallView::of).toList(),
        page.next().map(LlmCallCursor::encode).orElse(null));
  }
}
