package dev.bulwark.metrics.email;

import dev.bulwark.common.api.CursorText;
import dev.bulwark.metrics.email.EmailStatsProblems.InvalidCursor;
import dev.bulwark.metrics.exported.Window;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/**
 * Where the next page of campaigns starts: after the campaign {@code campaign} whose rank key is
 * {@code key}, in the ranking {@code order} of the window ending at {@code to}. Carrying {@code to}
 * keeps every page on the same window, so a walk neither skips nor repeats a campaign as time moves
 * on. Opaque to callers ({@link CursorText}), its campaign last so it may hold any character.
 */
public record CampaignCursor(
    CampaignOrder order, Window window, Instant to, long key, String campaign) {

  private static final String VERSION = "c1";

  /** The cursor after {@code last} in {@code order}. */
  public static CampaignCursor after(
      CampaignOrder order, Window window, Instant to, CampaignCounts last) {
    return new CampaignCursor(order, window, to, order.keyOf(last.counts()), last.campaign());
  }

  public String encode() {
    return CursorText.encode(
        VERSION,
        order.wire(),
        window.label(),
        Long.toString(to.toEpochMilli()),
        Long.toString(key),
        campaign);
  }

  /** The cursor in {@code encoded}, or an {@link InvalidCursor} when it is not one we issued. */
  public static CampaignCursor decode(String encoded) {
    List<String> fields = CursorText.decode(encoded, VERSION, 5).orElseThrow(InvalidCursor::new);
    try {
      return new CampaignCursor(
          CampaignOrder.named(fields.get(0)).orElseThrow(InvalidCursor::new),
          Window.named(fields.get(1)).orElseThrow(InvalidCursor::new),
          Instant.ofEpochMilli(Long.parseLong(fields.get(2))),
          Long.parseLong(fields.get(3)),
          fields.get(4));
    } catch (NumberFormatException | DateTimeException e) {
      throw new InvalidCursor();
    }
  }
}
