package dev.bulwark.backup.pitr.wal;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** failover-service's group query; its URL is {@code quarkus.rest-client.failover-service.url}. */
@RegisterRestClient(configKey = "failover-service")
@Path("/api/v1/groups")
public interface FailoverServiceClient {

  @GET
  @Path("/{group}")
  @Produces(MediaType.APPLICATION_JSON)
  Uni<FailoverGroup> group(
      @PathParam("group") String group, @HeaderParam("Authorization") String authorization);
}
