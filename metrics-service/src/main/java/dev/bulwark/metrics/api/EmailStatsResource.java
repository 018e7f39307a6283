package dev.bulwark.metrics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.security.Roles;
import dev.bulwark.metrics.exported.Window;
import dev.bulwark.metrics.store.EmailStore;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Email counts and ratios per campaign: which campaign drives a bounce or complaint alert. The
 * gauges carry no campaign label, since campaigns are unbounded.
 */
@Path("/api/v1/email-stats")
@Produces(MediaType.APPLICATION_JSON)
public class EmailStatsResource {

  /** One campaign's counts in the window. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CampaignStats(
      String campaign,
      long delivered,
      long hardBounces,
      long softBounces,
      long complaints,
      long deferred,
      Double bounceRatio,
      Double complaintRatio) {}

  /** The window and its campaigns. */
  public record EmailStats(String window, Instant to, List<CampaignStats> campaigns) {}

  private final EmailStore store;
  private final Clock clock;

  public EmailStatsResource(EmailStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.VIEWER, Roles.PIPELINE})
  public Uni<EmailStats> stats(@QueryParam("window") @DefaultValue("24h") String window) {
    Window length =
        Window.named(window)
            .orElseThrow(() -> new InvalidRequestProblem("window", "must be 1h, 24h or 7d"));
    Instant now = clock.instant();
    return store
        .byCampaign(now, length.length())
        .map(
            byCampaign ->
                new EmailStats(
                    window,
                    now,
                    byCampaign.entrySet().stream()
                        .map(
                            e ->
                                new CampaignStats(
                                    e.getKey(),
                                    e.getValue().delivered(),
                                    e.getValue().hardBounces(),
                                    e.getValue().softBounces(),
                                    e.getValue().complaints(),
                                    e.getValue().deferred(),
                                    e.getValue().bounceRatio(),
                                    e.getValue().complaintRatio()))
                        .toList()));
  }
}
