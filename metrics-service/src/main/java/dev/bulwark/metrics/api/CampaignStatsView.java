package dev.bulwark.metrics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.metrics.email.CampaignCounts;

/** One campaign's counts and ratios in the window; a ratio is absent when nothing was sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignStatsView(
    String campaign,
    long delivered,
    long hardBounces,
    long softBounces,
    long complaints,
    long deferred,
    Double bounceRatio,
    Double complaintRatio) {

  static CampaignStatsView of(CampaignCounts campaign) {
    var c = campaign.counts();
    return new CampaignStatsView(
        campaign.campaign(),
        c.delivered(),
        c.hardBounces(),
        c.softBounces(),
        c.complaints(),
        c.deferred(),
        c.bounceRatio(),
        c.complaintRatio());
  }
}
