package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.DictionaryTraining;
import dev.bulwark.backup.pages.PageRecompaction;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The pages' background work on demand (operator): what the scheduled jobs do, now, for a first
 * dictionary after a bulk import or for a benchmark.
 */
@Path("/api/v1/archive/pages")
@Produces(MediaType.APPLICATION_JSON)
public class PageMaintenanceResource {

  private final DictionaryTraining training;
  private final PageRecompaction recompaction;

  public PageMaintenanceResource(DictionaryTraining training, PageRecompaction recompaction) {
    this.training = training;
    this.recompaction = recompaction;
  }

  /** Trains a dictionary now: 201 with it when kept, 204 when it did not beat plain zstd. */
  @POST
  @Path("/dictionaries")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> train() {
    return training
        .train()
        .map(
            kept ->
                kept.map(d -> Response.status(201).entity(DictionaryView.of(d)).build())
                    .orElseGet(() -> Response.noContent().build()));
  }

  /** Recompacts one batch of the objects that are due now. */
  @POST
  @Path("/recompactions")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<RecompactionView> recompact() {
    return recompaction.recompact().map(RecompactionView::new);
  }
}
