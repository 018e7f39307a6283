package dev.bulwark.budget.api;

import dev.bulwark.budget.budgets.Budget;
import dev.bulwark.budget.budgets.BudgetQuery;
import dev.bulwark.budget.budgets.Budgets;
import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.money.Money;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Budgets: operators define them; everyone with a role can read them. */
@Path("/api/v1/budgets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BudgetResource {

  private static final BigDecimal DEFAULT_SOFT_RATIO = new BigDecimal("0.8");

  private final Budgets budgets;

  public BudgetResource(Budgets budgets) {
    this.budgets = budgets;
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  public Uni<Response> create(@NotNull @Valid BudgetRequest request) {
    return budgets
        .create(toBudget(UUID.randomUUID(), request))
        .map(
            w ->
                Response.created(URI.create("/api/v1/budgets/" + w.budget().id()))
                    .entity(BudgetView.of(w))
                    .build());
  }

  /**
   * One page of budgets by name (byte order), then id: filters combine with AND; {@code limit} 1 to
   * 500 (default 50); {@code cursor} the previous page's nextCursor, with the same filters. The
   * next page is also in the {@code Link} header. Parameters are read as text so that a bad one is
   * a 400 naming it.
   */
  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.VIEWER, Roles.PIPELINE})
  @APIResponse(
      responseCode = "200",
      description = "one page of budgets",
      content = @Content(schema = @Schema(implementation = BudgetPageView.class)))
  public Uni<Response> list(
      @QueryParam("includeArchived")
          @Parameter(schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
          String includeArchived,
      @QueryParam("namePrefix") @Parameter(description = "names that start with it")
          String namePrefix,
      @QueryParam("scopeKey") @Parameter(description = "budgets whose scope has this key")
          String scopeKey,
      @QueryParam("scopeValue") @Parameter(description = "with scopeKey: that key's value")
          String scopeValue,
      @QueryParam("mode") @Parameter(schema = @Schema(enumeration = {"enforce", "observe"}))
          String mode,
      @QueryParam("period")
          @Parameter(schema = @Schema(enumeration = {"daily", "weekly", "monthly", "total"}))
          String period,
      @QueryParam("exported") @Parameter(schema = @Schema(type = SchemaType.BOOLEAN))
          String exported,
      @QueryParam("state")
          @Parameter(
              description =
                  "the current period's standing; over-soft is soft-limit-crossed or at-limit",
              schema =
                  @Schema(enumeration = {"under", "soft-limit-crossed", "at-limit", "over-soft"}))
          String state,
      @QueryParam("limit")
          @Parameter(
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "" + BudgetQuery.MAX_LIMIT,
                      defaultValue = "" + BudgetQuery.DEFAULT_LIMIT))
          String limit,
      @QueryParam("cursor") @Parameter(description = "the previous page's nextCursor")
          String cursor,
      @Context UriInfo uri) {
    BudgetQuery query =
        BudgetQuery.parse(
            includeArchived,
            namePrefix,
            scopeKey,
            scopeValue,
            mode,
            period,
            exported,
            state,
            limit,
            cursor);
    return budgets
        .page(query)
        .map(BudgetPageView::of)
        .map(
            view -> {
              Response.ResponseBuilder ok = Response.ok(view);
              if (view.nextCursor() != null) {
                URI next =
                    uri.getRequestUriBuilder()
                        .replaceQueryParam("cursor", view.nextCursor())
                        .build();
                // Relative, so that it stays right behind a proxy that rewrites the host.
                ok.header(
                    "Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
              }
              return ok.build();
            });
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.OPERATOR, Roles.VIEWER, Roles.PIPELINE})
  public Uni<BudgetView> get(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
    return budgets.get(Params.uuid("id", id)).map(BudgetView::of);
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<BudgetView> update(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
      @NotNull @Valid BudgetRequest request) {
    return budgets
        .update(toBudget(Params.uuid("id", id), request), Optional.ofNullable(request.exported()))
        .map(BudgetView::of);
  }

  /** Archives the budget: it stops gating, its history stays queryable. */
  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.OPERATOR)
  public Uni<BudgetView> archive(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id) {
    return budgets.archive(Params.uuid("id", id)).map(BudgetView::of);
  }

  @GET
  @Path("/{id}/periods")
  @RolesAllowed({Roles.OPERATOR, Roles.VIEWER, Roles.PIPELINE})
  public Uni<List<PeriodView>> periods(
      @PathParam("id") @Parameter(schema = @Schema(format = "uuid")) String id,
      @QueryParam("limit")
          @Parameter(
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "1000",
                      defaultValue = "30"))
          String limit) {
    return budgets
        .history(Params.uuid("id", id), Params.integer("limit", limit, 1, 1000, 30))
        .map(h -> h.periods().stream().map(c -> PeriodView.of(h.budget(), c)).toList());
  }

  private static Budget toBudget(UUID id, BudgetRequest r) {
    return new Budget(
        id,
        r.name(),
        r.scope() == null ? Map.of() : r.scope(),
        r.period(),
        Budgets.zone(r.timeZone() == null ? "UTC" : r.timeZone()),
        Money.exact(r.limitUsd()),
        r.softRatio() == null ? DEFAULT_SOFT_RATIO : r.softRatio(),
        r.mode() == null ? Mode.ENFORCE : r.mode(),
        Boolean.TRUE.equals(r.exported()),
        null,
        null,
        null);
  }
}
