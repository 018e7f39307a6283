package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.LegalHolds;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Legal holds on leads: retention keeps every archived record of a held lead. */
@Path("/api/v1/archive/legal-holds")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LegalHoldResource {

  private final LegalHolds holds;

  public LegalHoldResource(LegalHolds holds) {
    this.holds = holds;
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<List<LegalHoldView>> list() {
    return holds.all().map(all -> all.stream().map(LegalHoldView::of).toList());
  }

  /** Places the hold: 201 when new, 200 when it only changed the reason. */
  @PUT
  @Path("/{leadId}")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> place(
      @PathParam("leadId") String leadId, @NotNull @Valid LegalHoldRequest request) {
    return holds
        .place(leadId, request.reason())
        .map(created -> Response.status(created ? 201 : 200).build());
  }

  /** Lifts the hold: 204, or 404 when the lead was not held. */
  @DELETE
  @Path("/{leadId}")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Void> lift(@PathParam("leadId") String leadId) {
    return holds.lift(leadId);
  }
}
