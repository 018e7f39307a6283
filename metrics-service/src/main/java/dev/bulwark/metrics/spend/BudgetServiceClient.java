package dev.bulwark.metrics.spend;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** budget-service's spend query; its URL is {@code quarkus.rest-client.budget-service.url}. */
@RegisterRestClient(configKey = "budget-service")
@Path("/api/v1/spend")
public interface BudgetServiceClient {

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  Uni<SpendReport> spend(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("groupBy") String groupBy,
      @HeaderParam("Authorization") String authorization);
}
