package dev.bulwark.backup.api;

import dev.bulwark.backup.restore.RestoreJobs;
import dev.bulwark.backup.restore.RestoreRequest;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Restores of a backup into a named database; follow them at /api/v1/jobs. */
@Path("/api/v1/restores")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RestoreResource {

  private final RestoreJobs restores;

  public RestoreResource(RestoreJobs restores) {
    this.restores = restores;
  }

  /** Starts a restore: 202 with the job; 409 over a non-empty database without force. */
  @POST
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> start(@NotNull @Valid RestoreBody body) {
    return restores
        .start(
            new RestoreRequest(
                body.target(), body.backupId(), body.database(), Boolean.TRUE.equals(body.force())))
        .map(BackupResource::accepted);
  }
}
