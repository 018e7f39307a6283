package dev.bulwark.metrics.email;

import dev.bulwark.metrics.email.EmailStatsProblems.CursorMismatch;
import dev.bulwark.metrics.email.EmailStatsProblems.LimitOutOfRange;
import dev.bulwark.metrics.email.EmailStatsProblems.UnknownSort;
import dev.bulwark.metrics.email.EmailStatsProblems.UnknownWindow;
import dev.bulwark.metrics.exported.Window;
import java.util.Optional;

/** One page's worth of the campaign ranking to read: window, order, size and where to start. */
public record CampaignQuery(
    Window window, CampaignOrder order, int limit, Optional<CampaignCursor> after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  public static final Window DEFAULT_WINDOW = Window.DAY;
  public static final CampaignOrder DEFAULT_ORDER = CampaignOrder.BOUNCES;

  /**
   * The query of the request parameters as given (null when absent), or a typed problem naming the
   * first bad one. With a cursor, window and sort come from it and may be left out.
   */
  public static CampaignQuery parse(String window, String sort, String limit, String cursor) {
    Optional<CampaignCursor> after =
        cursor == null || cursor.isBlank()
            ? Optional.empty()
            : Optional.of(CampaignCursor.decode(cursor.strip()));
    Window chosenWindow =
        window == null
            ? after.map(CampaignCursor::window).orElse(DEFAULT_WINDOW)
            : Window.named(window).orElseThrow(() -> new UnknownWindow(window));
    CampaignOrder chosenOrder =
        sort == null
            ? after.map(CampaignCursor::order).orElse(DEFAULT_ORDER)
            : CampaignOrder.named(sort).orElseThrow(() -> new UnknownSort(sort));
    after.ifPresent(
        c -> {
          if (c.window() != chosenWindow) {
            throw new CursorMismatch("window", c.window().label());
          }
          if (c.order() != chosenOrder) {
            throw new CursorMismatch("sort", c.order().wire());
          }
        });
    return new CampaignQuery(chosenWindow, chosenOrder, limit(limit), after);
  }

  private static int limit(String given) {
    if (given == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(given.strip());
    } catch (NumberFormatException e) {
      throw new LimitOutOfRange(given, MAX_LIMIT);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new LimitOutOfRange(given, MAX_LIMIT);
    }
    return limit;
  }
}
