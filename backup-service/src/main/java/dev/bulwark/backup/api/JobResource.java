package dev.bulwark.backup.api;

import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Background jobs (backups, verifications, restores, mirror runs): progress and reports. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

  private final JobRunner runner;

  public JobResource(JobRunner runner) {
    this.runner = runner;
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<JobView> get(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
    return runner.find(Params.uuid("id", id)).map(JobView::of);
  }

  /** Newest first; {@code before} is the last id of the previous page. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<List<JobView>> list(
      @QueryParam("kind")
          @Parameter(
              schema = @Schema(enumeration = {"backup", "verification", "restore", "mirror"}))
          String kind,
      @QueryParam("subject") String subject,
      @QueryParam("before") @Parameter(schema = @Schema(format = "uuid")) String before,
      @QueryParam("limit")
          @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
          String limit) {
    return runner
        .list(
            Optional.ofNullable(kind).map(k -> JobKind.fromParameter("kind", k)),
            Optional.ofNullable(subject),
            Params.optionalUuid("before", before),
            Params.integer("limit", limit, 1, 500, 50))
        .map(jobs -> jobs.stream().map(JobView::of).toList());
  }
}
