package dev.bulwark.budget.api;

import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.gate.Reservations;
import dev.bulwark.budget.gate.ReserveCommand;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.money.Money;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The gate: reserve before spending, then commit the actual cost or release the hold. */
@Path("/api/v1/reservations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReservationResource {

  private static final long DEFAULT_TTL_SECONDS = 300;

  private final Reservations reservations;
  private final BudgetConfig config;

  public ReservationResource(Reservations reservations, BudgetConfig config) {
    this.reservations = reservations;
    this.config = config;
  }

  @POST
  @RolesAllowed({Roles.PIPELINE, Roles.OPERATOR})
  public Uni<Response> reserve(
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      @NotNull @Valid ReservationRequest request) {
    ReserveCommand command = toCommand(idempotencyKey, request);
    return reservations
        .reserve(command)
        .map(
            answer ->
                Response.ok(DecisionView.of(answer.decision()))
                    .header(IdempotencyKeys.REPLAYED, Boolean.toString(answer.replayed()))
                    .build());
  }

  @POST
  @Path("/{id}/commit")
  @RolesAllowed({Roles.PIPELINE, Roles.OPERATOR})
  public Uni<ReservationView> commit(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
      @NotNull @Valid CommitRequest request) {
    return reservations
        .commit(Params.uuid("id", id), Money.exact(request.actualUsd()))
        .map(ReservationView::of);
  }

  @POST
  @Path("/{id}/release")
  @RolesAllowed({Roles.PIPELINE, Roles.OPERATOR})
  public Uni<ReservationView> release(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
    return reservations.release(Params.uuid("id", id)).map(ReservationView::of);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.PIPELINE, Roles.OPERATOR, Roles.VIEWER})
  public Uni<ReservationView> get(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
    return reservations.find(Params.uuid("id", id)).map(ReservationView::of);
  }

  private ReserveCommand toCommand(String idempotencyKey, ReservationRequest r) {
    IdempotencyKeys.require(idempotencyKey);
    Duration ttl =
        Duration.ofSeconds(r.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : r.ttlSeconds());
    Duration min = config.gate().minTtl();
    Duration max = config.gate().maxTtl();
    if (ttl.compareTo(min) < 0 || ttl.compareTo(max) > 0) {
      throw new InvalidRequestProblem(
          "ttlSeconds",
          "must be between " + min.toSeconds() + " and " + max.toSeconds() + " seconds");
    }
    return new ReserveCommand(
        idempotencyKey,
        r.category(),
        r.team(),
        r.operation(),
        r.labels() == null ? Map.of() : r.labels(),
        Money.exact(r.estimateUsd()),
        ttl);
  }
}
