package dev.bulwark.budget.api;

import dev.bulwark.budget.store.SpendStore;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Sums of the spend ledger over a time range, grouped as asked (metrics-service reads this). */
@Path("/api/v1/spend")
@Produces(MediaType.APPLICATION_JSON)
public class SpendResource {

  private static final Duration MAX_RANGE = Duration.ofDays(400);

  /** The sums and the query they answer. */
  public record SpendReport(
      Instant from,
      Instant to,
      List<String> groupBy,
      BigDecimal totalUsd,
      List<SpendStore.Sum> groups) {}

  private final SpendStore store;

  public SpendResource(SpendStore store) {
    this.store = store;
  }

  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.VIEWER, Roles.PIPELINE})
  public Uni<SpendReport> spend(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("groupBy") String groupBy,
      @QueryParam("category") String category,
      @QueryParam("team") String team,
      @QueryParam("budgetId") UUID budgetId) {
    Instant end = to == null ? Instant.now() : instant("to", to);
    Instant start = from == null ? end.minus(Duration.ofDays(30)) : instant("from", from);
    if (!start.isBefore(end)) {
      throw new InvalidRequestProblem("from", "must be before 'to'");
    }
    if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
      throw new InvalidRequestProblem(
          "from", "the range may span at most " + MAX_RANGE.toDays() + " days");
    }
    List<SpendStore.Dimension> dimensions = dimensions(groupBy);
    return store
        .sum(new SpendStore.Query(start, end, dimensions, category, team, budgetId))
        .map(
            groups ->
                new SpendReport(
                    start,
                    end,
                    dimensions.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList(),
                    groups.stream()
                        .map(SpendStore.Sum::amountUsd)
                        .reduce(BigDecimal.ZERO.setScale(6), BigDecimal::add),
                    groups));
  }

  private static List<SpendStore.Dimension> dimensions(String groupBy) {
    List<SpendStore.Dimension> dimensions = new ArrayList<>();
    if (groupBy == null || groupBy.isBlank()) {
      return dimensions;
    }
    for (String name : groupBy.split(",")) {
      try {
        SpendStore.Dimension d = SpendStore.Dimension.valueOf(name.trim().toUpperCase(Locale.ROOT));
        if (!dimensions.contains(d)) {
          dimensions.add(d);
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestProblem(
            "groupBy",
            "'" + name.trim() + "' is not one of category, team, operation, budget, day");
      }
    }
    return dimensions;
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestProblem(
          field, "'" + value + "' is not an ISO-8601 instant such as 2026-11-01T00:00:00Z");
    }
  }
}
