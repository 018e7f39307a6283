package dev.bulwark.budget.budgets;

import dev.bulwark.budget.budgets.ListingProblems.CursorForOtherFilters;
import dev.bulwark.budget.budgets.ListingProblems.ScopeValueWithoutKey;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.problem.InvalidParameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One page of the budget listing to read: the filters (all optional, combined with AND), the page
 * size and where to start. The order is by name in byte order, then id.
 */
public record BudgetQuery(
    boolean includeArchived,
    Optional<String> namePrefix,
    Optional<String> scopeKey,
    Optional<String> scopeValue,
    Optional<Mode> mode,
    Optional<PeriodKind> period,
    Optional<Boolean> exported,
    Set<BudgetState> states,
    int limit,
    Optional<BudgetCursor> after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private static final Pattern NAME_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern SCOPE_KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,62}");

  public BudgetQuery {
    states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
  }

  /**
   * The query of the request parameters as given (null when absent), or a typed problem naming the
   * first bad one. A cursor must come with the filters of the page that issued it.
   */
  public static BudgetQuery parse(
      String includeArchived,
      String namePrefix,
      String scopeKey,
      String scopeValue,
      String mode,
      String period,
      String exported,
      String state,
      String limit,
      String cursor) {
    if (scopeValue != null && scopeKey == null) {
      throw new ScopeValueWithoutKey();
    }
    BudgetQuery query =
        new BudgetQuery(
            Params.bool("includeArchived", includeArchived, false),
            matching("namePrefix", namePrefix, NAME_PREFIX, "letters, digits, '.', '_' or '-'"),
            matching("scopeKey", scopeKey, SCOPE_KEY, "a lower-case scope key such as team"),
            Optional.ofNullable(scopeValue).map(BudgetQuery::scopeValue),
            Optional.ofNullable(mode).map(BudgetQuery::mode),
            Optional.ofNullable(period).map(BudgetQuery::period),
            exported == null
                ? Optional.empty()
                : Optional.of(Params.bool("exported", exported, false)),
            states(state),
            Params.integer("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT),
            Optional.empty());
    if (cursor == null || cursor.isBlank()) {
      return query;
    }
    BudgetCursor after = BudgetCursor.decode(cursor.strip());
    if (!after.filters().equals(query.filters())) {
      throw new CursorForOtherFilters();
    }
    return query.after(after);
  }

  private BudgetQuery after(BudgetCursor cursor) {
    return new BudgetQuery(
        includeArchived,
        namePrefix,
        scopeKey,
        scopeValue,
        mode,
        period,
        exported,
        states,
        limit,
        Optional.of(cursor));
  }

  /** The cursor after {@code last} for this query's filters. */
  public BudgetCursor cursorAfter(Budget last) {
    return new BudgetCursor(filters(), last.id(), last.name());
  }

  /**
   * The first name after every name that starts with the prefix, in byte order: the prefix with its
   * last character incremented (prefixes are ASCII, so this stays a character).
   */
  public Optional<String> namePrefixEnd() {
    return namePrefix.map(
        p -> p.substring(0, p.length() - 1) + (char) (p.charAt(p.length() - 1) + 1));
  }

  /**
   * A fingerprint of the filters (not the limit or the cursor), which a cursor carries so that it
   * is never applied to another listing than the one it came from.
   */
  String filters() {
    String text =
        String.join(
            "\n",
            Boolean.toString(includeArchived),
            namePrefix.orElse(""),
            scopeKey.orElse(""),
            scopeValue.orElse(""),
            mode.map(Mode::wire).orElse(""),
            period.map(PeriodKind::wire).orElse(""),
            exported.map(String::valueOf).orElse(""),
            states.stream().map(BudgetState::wire).sorted().collect(Collectors.joining(",")));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** {@code state}: one of the states, or {@code over-soft} for both states past the soft limit. */
  private static Set<BudgetState> states(String state) {
    if (state == null) {
      return Set.of();
    }
    if (state.equals("over-soft")) {
      return EnumSet.of(BudgetState.SOFT_LIMIT_CROSSED, BudgetState.AT_LIMIT);
    }
    return EnumSet.of(
        BudgetState.named(state)
            .orElseThrow(
                () ->
                    new InvalidParameter(
                        "state", state, "under, soft-limit-crossed, at-limit or over-soft")));
  }

  private static PeriodKind period(String value) {
    return Arrays.stream(PeriodKind.values())
        .filter(p -> p.wire().equals(value))
        .findFirst()
        .orElseThrow(
            () -> new InvalidParameter("period", value, "daily, weekly, monthly or total"));
  }

  private static String scopeValue(String value) {
    if (value.isEmpty() || value.length() > 200) {
      throw new InvalidParameter("scopeValue", value, "a scope value of 1 to 200 characters");
    }
    return value;
  }

  private static Optional<String> matching(
      String name, String value, Pattern pattern, String expected) {
    if (value == null) {
      return Optional.empty();
    }
    if (!pattern.matcher(value).matches()) {
      throw new InvalidParameter(name, value, expected);
    }
    return Optional.of(value);
  }

  private static Mode mode(String value) {
    return Arrays.stream(Mode.values())
        .filter(m -> m.wire().equals(value))
        .findFirst()
        .orElseThrow(() -> new InvalidParameter("mode", value, "enforce or observe"));
  }
}
