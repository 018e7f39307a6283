package dev.bulwark.failover.drills;

import dev.bulwark.common.api.CursorText;
import dev.bulwark.common.problem.InvalidRequestProblem;
import java.util.List;

/** Where the next page of drills starts: before the drill {@code beforeId} of {@code group}. */
public record DrillCursor(String group, long beforeId) {

  private static final String VERSION = "d1";

  public String encode() {
    return CursorText.encode(VERSION, Long.toString(beforeId), group);
  }

  /** The cursor in {@code text}, or a 400 naming {@code cursor} when it is not one we issued. */
  public static DrillCursor decode(String text, String group) {
    List<String> fields = CursorText.decode(text, VERSION, 2).orElseThrow(InvalidCursor::new);
    if (!fields.get(1).equals(group)) {
      throw new InvalidCursor();
    }
    try {
      return new DrillCursor(group, Long.parseLong(fields.get(0)));
    } catch (NumberFormatException e) {
      throw new InvalidCursor();
    }
  }

  /** {@code cursor} is not a nextCursor of this group's drills. */
  public static class InvalidCursor extends InvalidRequestProblem {
    public InvalidCursor() {
      super("cursor", "is not a nextCursor of this group's drills; start again without a cursor");
    }
  }
}
