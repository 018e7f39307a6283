package dev.bulwark.metrics.email;

import dev.bulwark.metrics.email.EmailStatsProblems.InvalidCursor;
import dev.bulwark.metrics.exported.Window;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * Where the next page of campaigns starts: after the campaign {@code campaign} whose rank key is
 * {@code key}, in the ranking {@code order} of the window ending at {@code to}. Carrying {@code to}
 * keeps every page on the same window, so a walk neither skips nor repeats a campaign as time moves
 * on. Opaque to callers: base64url text, its campaign last so it may hold any character.
 */
public record CampaignCursor(
    CampaignOrder order, Window window, Instant to, long key, String campaign) {

  private static final String VERSION = "c1";
  private static final int FIELDS = 6;

  /** The cursor after {@code last} in {@code order}. */
  public static CampaignCursor after(
      CampaignOrder order, Window window, Instant to, CampaignCounts last) {
    return new CampaignCursor(order, window, to, order.keyOf(last.counts()), last.campaign());
  }

  public String encode() {
    String text =
        String.join(
            "\n",
            VERSION,
            order.wire(),
            window.label(),
            Long.toString(to.toEpochMilli()),
            Long.toString(key),
            campaign);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor in {@code encoded}, or an {@link InvalidCursor} when it is not one we issued. */
  public static CampaignCursor decode(String encoded) {
    String[] fields;
    try {
      fields =
          new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8)
              .split("\n", FIELDS);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursor();
    }
    if (fields.length != FIELDS || !VERSION.equals(fields[0])) {
      throw new InvalidCursor();
    }
    try {
      return new CampaignCursor(
          CampaignOrder.named(fields[1]).orElseThrow(InvalidCursor::new),
          Window.named(fields[2]).orElseThrow(InvalidCursor::new),
          Instant.ofEpochMilli(Long.parseLong(fields[3])),
          Long.parseLong(fields[4]),
          fields[5]);
    } catch (NumberFormatException | DateTimeException e) {
      throw new InvalidCursor();
    }
  }
}
