package dev.bulwark.metrics.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.metrics.leads.Lead;
import dev.bulwark.metrics.leads.Leads;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Leads the pipeline created, the denominator of cost per lead. */
@Path("/api/v1/leads")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LeadResource {

  private final Leads leads;

  public LeadResource(Leads leads) {
    this.leads = leads;
  }

  @POST
  @RolesAllowed(Roles.PIPELINE)
  public Uni<LeadBatchView> record(@NotNull @Valid LeadBatch batch) {
    return leads
        .record(
            batch.leads().stream().map(l -> new Lead(l.id(), l.source(), l.createdAt())).toList())
        .map(LeadBatchView::of);
  }
}
