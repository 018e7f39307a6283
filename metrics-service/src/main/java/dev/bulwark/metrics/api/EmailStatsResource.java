package dev.bulwark.metrics.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.metrics.email.CampaignQuery;
import dev.bulwark.metrics.email.EmailStats;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Email counts and ratios per campaign, worst first: which campaigns drive a bounce or complaint
 * alert. The gauges carry no campaign label, since campaigns are unbounded; so is this list, which
 * is why it comes a page at a time.
 */
@Path("/api/v1/email-stats")
@Produces(MediaType.APPLICATION_JSON)
public class EmailStatsResource {

  private final EmailStats stats;

  public EmailStatsResource(EmailStats stats) {
    this.stats = stats;
  }

  /**
   * One page: {@code window} 1h, 24h (default) or 7d; {@code sort} bounces (default), hardBounces
   * or complaints, largest first; {@code limit} 1 to 500 (default 50); {@code cursor} the previous
   * page's nextCursor. Parameters are read as text so that a bad one is a 400 naming it.
   */
  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.VIEWER, Roles.PIPELINE})
  public Uni<EmailStatsView> stats(
      @QueryParam("window") String window,
      @QueryParam("sort") String sort,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return stats
        .campaigns(CampaignQuery.parse(window, sort, limit, cursor))
        .map(EmailStatsView::of);
  }
}
