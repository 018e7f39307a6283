package dev.bulwark.budget.budgets;

import dev.bulwark.budget.budgets.ListingProblems.InvalidCursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Where the next page of budgets starts: after the budget {@code name}, {@code id} in the listing
 * order, for the filters whose fingerprint is {@code filters}. Opaque to callers: base64url text,
 * the name last so that it may hold any character.
 */
public record BudgetCursor(String filters, UUID id, String name) {

  private static final String VERSION = "b1";
  private static final int FIELDS = 4;

  public String encode() {
    String text = String.join("\n", VERSION, filters, id.toString(), name);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor in {@code encoded}, or an {@link InvalidCursor} when it is not one we issued. */
  public static BudgetCursor decode(String encoded) {
    String[] fields;
    try {
      fields =
          new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8)
              .split("\n", FIELDS);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursor();
    }
    if (fields.length != FIELDS || !VERSION.equals(fields[0]) || fields[3].isEmpty()) {
      throw new InvalidCursor();
    }
    try {
      return new BudgetCursor(fields[1], UUID.fromString(fields[2]), fields[3]);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursor();
    }
  }
}
