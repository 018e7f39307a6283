package dev.bulwark.metrics.email;

import dev.bulwark.metrics.exported.Window;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One page of the campaign ranking, and where the next starts when there is one. */
public record CampaignPage(
    Window window,
    CampaignOrder order,
    Instant to,
    List<CampaignCounts> campaigns,
    Optional<CampaignCursor> next) {

  public CampaignPage {
    campaigns = List.copyOf(campaigns);
  }
}
