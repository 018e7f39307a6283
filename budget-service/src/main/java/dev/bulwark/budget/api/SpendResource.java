package dev.bulwark.budget.api;

import dev.bulwark.budget.gate.Reservations;
import dev.bulwark.budget.gate.UngatedCommand;
import dev.bulwark.budget.spend.Dimension;
import dev.bulwark.budget.spend.Spend;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The spend ledger: sums over a time range, grouped as asked (metrics-service reads them), and
 * spend recorded without a reservation.
 */
@Path("/api/v1/spend")
@Produces(MediaType.APPLICATION_JSON)
public class SpendResource {

  private final Spend spend;
  private final Reservations reservations;

  public SpendResource(Spend spend, Reservations reservations) {
    this.spend = spend;
    this.reservations = reservations;
  }

  /** Records spend that had no reservation; idempotent by {@code Idempotency-Key}. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.PIPELINE, Roles.OPERATOR})
  public Uni<Response> recordUngated(
      @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
      @NotNull @Valid UngatedSpendRequest request) {
    UngatedCommand command =
        new UngatedCommand(
            IdempotencyKeys.require(idempotencyKey),
            request.category(),
            request.team(),
            request.operation(),
            request.labels() == null ? Map.of() : request.labels(),
            Money.exact(request.amountUsd()));
    return reservations
        .recordUngated(command)
        .map(
            recorded ->
                Response.ok(UngatedSpendView.of(recorded.spend()))
                    .header(IdempotencyKeys.REPLAYED, Boolean.toString(recorded.replayed()))
                    .build());
  }

  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.VIEWER, Roles.PIPELINE})
  public Uni<SpendView> spend(
      @QueryParam("from") @Parameter(schema = @Schema(format = "date-time")) String from,
      @QueryParam("to") @Parameter(schema = @Schema(format = "date-time")) String to,
      @QueryParam("groupBy") String groupBy,
      @QueryParam("category") String category,
      @QueryParam("team") String team,
      @QueryParam("budgetId") @Parameter(schema = @Schema(format = "uuid")) String budgetId) {
    return spend
        .report(
            Params.optionalInstant("from", from),
            Params.optionalInstant("to", to),
            dimensions(groupBy),
            Optional.ofNullable(category),
            Optional.ofNullable(team),
            Params.optionalUuid("budgetId", budgetId))
        .map(SpendView::of);
  }

  private static List<Dimension> dimensions(String groupBy) {
    List<Dimension> dimensions = new ArrayList<>();
    if (groupBy == null || groupBy.isBlank()) {
      return dimensions;
    }
    for (String name : groupBy.split(",")) {
      Dimension d =
          Dimension.fromWire(name.trim().toLowerCase(Locale.ROOT))
              .orElseThrow(
                  () ->
                      new InvalidRequestProblem(
                          "groupBy",
                          "'"
                              + name.trim()
                              + "' is not one of category, team, operation, budget, day, kind"));
      if (!dimensions.contains(d)) {
        dimensions.add(d);
      }
    }
    return dimensions;
  }
}
