package dev.bulwark.backup.llmcalls;

import dev.bulwark.backup.llmcalls.LlmCallProblems.CursorForOtherFilters;
import dev.bulwark.backup.llmcalls.LlmCallProblems.EmptyRange;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.problem.InvalidParameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Which calls to read: a time range on {@code startedAt} (either end may be left to the archive's
 * bounds), optional model, lead and step (combined with AND), a page size and where to start. The
 * order is by startedAt, then id.
 */
public record LlmCallQuery(
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<String> model,
    Optional<String> leadId,
    Optional<String> step,
    int limit,
    Optional<LlmCallCursor> after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** The query of the request parameters as given (null when absent), or a problem naming one. */
  public static LlmCallQuery parse(
      String from,
      String to,
      String model,
      String leadId,
      String step,
      String limit,
      String cursor) {
    LlmCallQuery query =
        new LlmCallQuery(
            Params.optionalInstant("from", from),
            Params.optionalInstant("to", to),
            text("model", model),
            text("leadId", leadId),
            text("step", step),
            Params.integer("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT),
            Optional.empty());
    if (query.from.isPresent()
        && query.to.isPresent()
        && !query.from.get().isBefore(query.to.get())) {
      throw new EmptyRange();
    }
    if (cursor == null || cursor.isBlank()) {
      return query;
    }
    LlmCallCursor after = LlmCallCursor.decode(cursor.strip());
    if (!after.filters().equals(query.filters())) {
      throw new CursorForOtherFilters();
    }
    return new LlmCallQuery(
        query.from,
        query.to,
        query.model,
        query.leadId,
        query.step,
        query.limit,
        Optional.of(after));
  }

  /** The cursor after {@code last} for this query's filters. */
  public LlmCallCursor cursorAfter(LlmCall last) {
    return new LlmCallCursor(filters(), last.startedAt(), last.id());
  }

  /** A fingerprint of the filters (not limit or cursor), so a cursor serves only its listing. */
  String filters() {
    String text =
        String.join(
            "\n",
            from.map(Instant::toString).orElse(""),
            to.map(Instant::toString).orElse(""),
            model.map(m -> "+" + m).orElse(""),
            leadId.map(l -> "+" + l).orElse(""),
            step.map(s -> "+" + s).orElse(""));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static Optional<String> text(String name, String value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isBlank() || value.length() > LlmCallLimits.MAX_NAME) {
      throw new InvalidParameter(
          name, value, "a text of 1 to " + LlmCallLimits.MAX_NAME + " characters");
    }
    return Optional.of(value);
  }
}
