package dev.bulwark.backup.llmcalls;

import dev.bulwark.backup.llmcalls.LlmCallProblems.InvalidCursor;
import dev.bulwark.common.api.CursorText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Where the next page of calls starts: after the call ({@code startedAt}, {@code id}) in the
 * listing order, for the filters whose fingerprint is {@code filters}; the id last, so that it may
 * hold any character.
 */
public record LlmCallCursor(String filters, Instant startedAt, String id) {

  private static final String VERSION = "l1";

  public String encode() {
    return CursorText.encode(VERSION, filters, startedAt.toString(), id);
  }

  /** The cursor in {@code encoded}, or an {@link InvalidCursor} when it is not one we issued. */
  public static LlmCallCursor decode(String encoded) {
    List<String> fields = CursorText.decode(encoded, VERSION, 3).orElseThrow(InvalidCursor::new);
    if (fields.get(2).isEmpty()) {
      throw new InvalidCursor();
    }
    try {
      return new LlmCallCursor(fields.get(0), Instant.parse(fields.get(1)), fields.get(2));
    } catch (DateTimeParseException e) {
      throw new InvalidCursor();
    }
  }
}
