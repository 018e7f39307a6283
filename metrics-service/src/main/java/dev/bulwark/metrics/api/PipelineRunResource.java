package dev.bulwark.metrics.api;

import dev.bulwark.common.api.Params;
import dev.bulwark.common.security.Roles;
import dev.bulwark.metrics.pipeline.PipelineRuns;
import dev.bulwark.metrics.pipeline.RunStatus;
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
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

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
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
      @NotNull @Valid RunFinishRequest request) {
    return runs.finish(
            Params.uuid("id", id),
            RunStatus.fromWire(request.status()),
            request.finishedAt(),
            request.counts() == null ? Map.of() : request.counts())
        .map(PipelineRunView::of);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.PIPELINE, Roles.VIEWER, Roles.OPERATOR})
  public Uni<PipelineRunView> get(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
    return runs.find(Params.uuid("id", id)).map(PipelineRunView::of);
  }

  @GET
  @RolesAllowed({Roles.PIPELINE, Roles.VIEWER, Roles.OPERATOR})
  public Uni<List<PipelineRunView>> recent(
      @QueryParam("limit")
          @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
          String limit) {
    return runs.recent(Params.integer("limit", limit, 1, 500, 20))
        .map(list -> list.stream().map(PipelineRunView::of).toList());
  }
}
