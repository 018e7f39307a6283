package dev.bulwark.metrics.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.metrics.pipeline.PipelineRuns;
import dev.bulwark.metrics.pipeline.RunStatus;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Start and finish of the nightly pipeline's runs, for the deadline metrics. */
@Path("/api/v1/pipeline-runs")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PipelineRunResource {

  private final PipelineRuns runs;

  public PipelineRunResource(PipelineRuns runs) {
    this.runs = runs;
  }

  @POST
  @RolesAllowed(Roles.PIPELINE)
  public Uni<Response> start(RunStartRequest request) {
    return runs.start(request == null ? null : request.startedAt())
        .map(
            run ->
                Response.created(URI.create("/api/v1/pipeline-runs/" + run.id()))
                    .entity(PipelineRunView.of(run))
                    .build());
  }

  @POST
  @Path("/{id}/finish")
  @RolesAllowed(Roles.PIPELINE)
  public Uni<PipelineRunView> finish(
      @PathParam("id") UUID id, @NotNull @Valid RunFinishRequest request) {
    return runs.finish(
            id,
            RunStatus.fromWire(request.status()),
            request.finishedAt(),
            request.counts() == null ? Map.of() : request.counts())
        .map(PipelineRunView::of);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.PIPELINE, Roles.VIEWER, Roles.OPERATOR})
  public Uni<PipelineRunView> get(@PathParam("id") UUID id) {
    return runs.find(id).map(PipelineRunView::of);
  }

  @GET
  @RolesAllowed({Roles.PIPELINE, Roles.VIEWER, Roles.OPERATOR})
  public Uni<List<PipelineRunView>> recent(
      @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(500) int limit) {
    return runs.recent(limit).map(list -> list.stream().map(PipelineRunView::of).toList());
  }
}
