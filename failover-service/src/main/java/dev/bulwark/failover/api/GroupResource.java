package dev.bulwark.failover.api;

import dev.bulwark.common.api.Params;
import dev.bulwark.common.security.Roles;
import dev.bulwark.failover.groups.Groups;
import dev.bulwark.failover.groups.Probe;
import dev.bulwark.failover.groups.Role;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/** Failover groups: their state, Patroni-style probes for load balancers, pause, events. */
@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {

  private final Groups groups;

  public GroupResource(Groups groups) {
    this.groups = groups;
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public List<GroupView> list() {
    return groups.all().stream().map(GroupView::of).toList();
  }

  @GET
  @Path("/{group}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public GroupView get(@PathParam("group") String group) {
    return GroupView.of(groups.status(group));
  }

  /**
   * 200 only while the member is the primary of the stored epoch and answers as one, else 503.
   * Unauthenticated: load balancers cannot refresh tokens, and the answer reveals only a role.
   */
  @GET
  @Path("/{group}/members/{member}/primary")
  @PermitAll
  public Response primary(@PathParam("group") String group, @PathParam("member") String member) {
    return answer(groups.probe(group, member, Role.PRIMARY));
  }

  /** 200 only while the member is a standby that answers, else 503; unauthenticated likewise. */
  @GET
  @Path("/{group}/members/{member}/standby")
  @PermitAll
  public Response standby(@PathParam("group") String group, @PathParam("member") String member) {
    return answer(groups.probe(group, member, Role.STANDBY));
  }

  @POST
  @Path("/{group}/pause")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<GroupView> pause(@PathParam("group") String group) {
    return groups.setPaused(group, true).map(GroupView::of);
  }

  @POST
  @Path("/{group}/resume")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<GroupView> resume(@PathParam("group") String group) {
    return groups.setPaused(group, false).map(GroupView::of);
  }

  /** Events newest first; {@code limit} 1 to 500 (default 50), {@code cursor} a nextCursor. */
  @GET
  @Path("/{group}/events")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<EventPageView> events(
      @PathParam("group") String group,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return groups
        .events(group, Params.integer("limit", limit, 1, 500, 50), Optional.ofNullable(cursor))
        .map(EventPageView::of);
  }

  private static Response answer(Probe probe) {
    return Response.status(probe.holds() ? 200 : 503).entity(ProbeView.of(probe)).build();
  }
}
