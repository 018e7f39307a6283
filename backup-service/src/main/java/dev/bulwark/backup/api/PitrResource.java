package dev.bulwark.backup.api;

import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.pitr.base.BaseBackupJobs;
import dev.bulwark.backup.pitr.base.BaseBackups;
import dev.bulwark.backup.pitr.base.PitrTargets;
import dev.bulwark.backup.pitr.restore.InvalidRecoveryTarget;
import dev.bulwark.backup.pitr.restore.PitrRestoreJobs;
import dev.bulwark.backup.pitr.restore.RecoveryTarget;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Point-in-time recovery: base backups, and restores to a time, an LSN or the latest WAL. */
@Path("/api/v1/pitr")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PitrResource {

  private final BaseBackupJobs baseBackupJobs;
  private final BaseBackups baseBackups;
  private final PitrTargets targets;
  private final PitrRestoreJobs restores;

  public PitrResource(
      BaseBackupJobs baseBackupJobs,
      BaseBackups baseBackups,
      PitrTargets targets,
      PitrRestoreJobs restores) {
    this.baseBackupJobs = baseBackupJobs;
    this.baseBackups = baseBackups;
    this.targets = targets;
    this.restores = restores;
  }

  /** Starts a base backup of the target: 202 with the job. */
  @POST
  @Path("/base-backups")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> backUp(@NotNull @Valid BackupRequest request) {
    return baseBackupJobs.start(request.target(), JobTrigger.API).map(BackupResource::accepted);
  }

  /** Base backups newest first, of one PITR target or of all. Reads storage: a worker thread. */
  @GET
  @Path("/base-backups")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public List<BaseBackupView> list(@QueryParam("target") String target) {
    Stream<String> names =
        target == null ? targets.names().stream() : Stream.of(targets.enabled(target).name());
    return names
        .flatMap(name -> baseBackups.of(name).stream())
        .map(BaseBackupView::of)
        .sorted(Comparator.comparing(BaseBackupView::startedAt).reversed())
        .toList();
  }

  /** Restores the target to a point: 202 with the job, or 4xx before any job when it cannot. */
  @POST
  @Path("/restores")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> restore(@NotNull @Valid PitrRestoreBody body) {
    return restores
        .restore(
            body.target(),
            pointOf(body),
            Optional.ofNullable(body.directory())
                .filter(d -> !d.isBlank())
                .map(java.nio.file.Path::of),
            body.start() == null || body.start())
        .map(BackupResource::accepted);
  }

  private static RecoveryTarget pointOf(PitrRestoreBody body) {
    boolean latest = Boolean.TRUE.equals(body.latest());
    int given = (body.time() != null ? 1 : 0) + (body.lsn() != null ? 1 : 0) + (latest ? 1 : 0);
    if (given != 1) {
      throw new InvalidRecoveryTarget(
          "time", "give exactly one of time, lsn or latest: true (the point to recover to)");
    }
    if (body.time() != null) {
      return new RecoveryTarget.AtTime(body.time());
    }
    if (body.lsn() != null) {
      return new RecoveryTarget.AtLsn(body.lsn().toUpperCase(java.util.Locale.ROOT));
    }
    return new RecoveryTarget.Latest();
  }
}
