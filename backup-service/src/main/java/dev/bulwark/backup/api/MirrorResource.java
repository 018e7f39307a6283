package dev.bulwark.backup.api;

import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.mirror.MirrorJobs;
import dev.bulwark.backup.mirror.MirrorRun;
import dev.bulwark.backup.mirror.Mirrors;
import dev.bulwark.backup.store.MirrorStore;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Bucket mirrors: their last runs, and a run now. */
@Path("/api/v1/mirrors")
@Produces(MediaType.APPLICATION_JSON)
public class MirrorResource {

  private final Mirrors mirrors;
  private final MirrorJobs runs;
  private final MirrorStore store;

  public MirrorResource(Mirrors mirrors, MirrorJobs runs, MirrorStore store) {
    this.mirrors = mirrors;
    this.runs = runs;
    this.store = store;
  }

  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<List<MirrorView>> list() {
    return store
        .runs()
        .map(
            all -> {
              Map<String, MirrorRun> byName =
                  all.stream().collect(Collectors.toMap(MirrorRun::mirror, Function.identity()));
              return mirrors.names().stream()
                  .sorted()
                  .map(
                      name ->
                          MirrorView.of(mirrors.named(name), Optional.ofNullable(byName.get(name))))
                  .toList();
            });
  }

  /** Starts a run of the mirror now: 202 with the job. */
  @POST
  @Path("/{name}/runs")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> run(@PathParam("name") String name) {
    return runs.start(name, JobTrigger.API).map(BackupResource::accepted);
  }
}
