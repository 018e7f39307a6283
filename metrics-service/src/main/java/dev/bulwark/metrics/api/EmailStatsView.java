package dev.bulwark.metrics.api;

import dev.bulwark.metrics.email.CampaignCursor;
import dev.bulwark.metrics.email.CampaignPage;
import java.time.Instant;
import java.util.List;

/**
 * One page of campaigns, ranked by {@code sort}; {@code nextCursor} fetches the next page and is
 * null on the last one.
 */
public record EmailStatsView(
    String window, Instant to, String sort, List<CampaignStatsView> campaigns, String nextCursor) {

  static EmailStatsView of(CampaignPage page) {
    return new EmailStatsView(
        page.window().label(),
        page.to(),
        page.order().wire(),
        page.campaigns().stream().map(CampaignStatsView::of).toList(),
        page.next().map(CampaignCursor::encode).orElse(null));
  }
}
