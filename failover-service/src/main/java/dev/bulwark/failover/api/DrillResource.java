package dev.bulwark.failover.api;

import dev.bulwark.common.api.Params;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.security.Roles;
import dev.bulwark.failover.drills.DrillKind;
import dev.bulwark.failover.drills.DrillMarkdown;
import dev.bulwark.failover.drills.Drills;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;

/** Failover drills: start one (it runs in the background), read its report as JSON or Markdown. */
@Path("/api/v1/groups/{group}/drills")
public class DrillResource {

  static final String MARKDOWN = "text/markdown";

  private final Drills drills;

  public DrillResource(Drills drills) {
    this.drills = drills;
  }

  /** 202 with the running drill and its Location. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> start(
      @PathParam("group") String group, @Valid @NotNull DrillRequest request) {
    DrillKind kind =
        DrillKind.fromWire(request.kind())
            .orElseThrow(
                () -> new InvalidRequestProblem("kind", "must be switchover or primary-loss"));
    return drills
        .start(group, kind)
        .map(
            drill ->
                Response.accepted(DrillView.of(drill))
                    .location(URI.create("/api/v1/groups/" + group + "/drills/" + drill.id()))
                    .build());
  }

  /** Drills newest first; {@code limit} 1 to 100 (default 20), {@code cursor} a nextCursor. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<DrillPageView> list(
      @PathParam("group") String group,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return drills
        .page(group, Params.integer("limit", limit, 1, 100, 20), Optional.ofNullable(cursor))
        .map(DrillPageView::of);
  }

  @GET
  @Path("/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<DrillView> get(@PathParam("group") String group, @PathParam("id") String id) {
    return drills.find(group, id(id)).map(DrillView::of);
  }

  /** The same drill as a Markdown report ({@code Accept: text/markdown}). */
  @GET
  @Path("/{id}")
  @Produces(MARKDOWN)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<String> markdown(@PathParam("group") String group, @PathParam("id") String id) {
    return drills.find(group, id(id)).map(DrillMarkdown::of);
  }

  @GET
  @Path("/{id}/report.md")
  @Produces(MARKDOWN)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<String> report(@PathParam("group") String group, @PathParam("id") String id) {
    return markdown(group, id);
  }

  private static long id(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidRequestProblem("id", "must be a drill id (a number) from the drills list");
    }
  }
}
