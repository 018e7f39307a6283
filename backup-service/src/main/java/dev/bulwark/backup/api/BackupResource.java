package dev.bulwark.backup.api;

import dev.bulwark.backup.dumps.BackupJobs;
import dev.bulwark.backup.dumps.BackupNotFound;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.Backups;
import dev.bulwark.backup.dumps.StoredBackup;
import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.verify.VerificationJobs;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.security.Roles;
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
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Logical backups: take one now, list them, inspect one. */
@Path("/api/v1/backups")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {

  private final BackupJobs jobs;
  private final VerificationJobs verifications;
  private final Backups backups;
  private final BackupTargets targets;

  public BackupResource(
      BackupJobs jobs, VerificationJobs verifications, Backups backups, BackupTargets targets) {
    this.jobs = jobs;
    this.verifications = verifications;
    this.backups = backups;
    this.targets = targets;
  }

  /** Starts a backup of the target: 202 with the job, whose Location is to be followed. */
  @POST
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> start(@NotNull @Valid BackupRequest request) {
    return jobs.start(request.target(), JobTrigger.API).map(BackupResource::accepted);
  }

  /** Verifies one backup now (restore into a scratch database): 202 with the job. */
  @POST
  @Path("/{target}/{backupId}/verifications")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> verify(
      @PathParam("target") String target, @PathParam("backupId") String backupId) {
    return verifications.start(target, backupId, JobTrigger.API).map(BackupResource::accepted);
  }

  static Response accepted(BackupJob job) {
    return Response.accepted(JobView.of(job))
        .location(URI.create("/api/v1/jobs/" + job.id()))
        .build();
  }

  /** Backups newest first, of one target or of all. Reads storage: runs on a worker thread. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public List<BackupView> list(
      @QueryParam("target") String target,
      @QueryParam("limit")
          @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000"))
          String limit) {
    int max = Params.integer("limit", limit, 1, 1000, 100);
    Stream<String> names = target == null ? targets.names().stream() : Stream.of(target);
    return names
        .flatMap(name -> backups.withVerifications(name).stream())
        .sorted(Comparator.comparing((StoredBackup b) -> b.manifest().startedAt()).reversed())
        .limit(max)
        .map(b -> BackupView.summary(b.manifest(), b.verification()))
        .toList();
  }

  /** One backup with its per-table row counts and latest verification. */
  @GET
  @Path("/{target}/{backupId}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public BackupView get(@PathParam("target") String target, @PathParam("backupId") String id) {
    return backups
        .find(target, id)
        .map(manifest -> BackupView.detail(manifest, backups.verificationOf(manifest)))
        .orElseThrow(() -> new BackupNotFound(target, id));
  }
}
