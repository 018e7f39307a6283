package dev.bulwark.budget.budgets;

import dev.bulwark.budget.budgets.ListingProblems.InvalidCursor;
import dev.bulwark.common.api.CursorText;
import java.util.List;
import java.util.UUID;

/**
 * Where the next page of budgets starts: after the budget {@code name}, {@code id} in the listing
 * order, for the filters whose fingerprint is {@code filters}. Opaque to callers ({@link
 * CursorText}), the name last so that it may hold any character.
 */
public record BudgetCursor(String filters, UUID id, String name) {

  private static final String VERSION = "b1";

  public String encode() {
    return CursorText.encode(VERSION, filters, id.toString(), name);
  }

  /** The cursor in {@code encoded}, or an {@link InvalidCursor} when it is not one we issued. */
  public static BudgetCursor decode(String encoded) {
    List<String> fields = CursorText.decode(encoded, VERSION, 3).orElseThrow(InvalidCursor::new);
    if (fields.get(2).isEmpty()) {
      throw new InvalidCursor();
    }
    try {
      return new BudgetCursor(fields.get(0), UUID.fromString(fields.get(1)), fields.get(2));
    } catch (IllegalArgumentException e) {
      throw new InvalidCursor();
    }
  }
}
