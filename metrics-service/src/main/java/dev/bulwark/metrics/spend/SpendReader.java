package dev.bulwark.metrics.spend;

import dev.bulwark.metrics.config.MetricsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Reads spend by category over a window from budget-service, with a timeout and retries. */
@ApplicationScoped
public class SpendReader {

  private final BudgetServiceClient client;
  private final MetricsConfig.Spend config;

  public SpendReader(@RestClient BudgetServiceClient client, MetricsConfig config) {
    this.client = client;
    this.config = config.spend();
  }

  /** Spend per category in {@code [now - window, now)}; fails when budget-service cannot say. */
  public Uni<Map<String, BigDecimal>> byCategory(Instant now, Duration window) {
    String authorization = config.token().map(t -> "Bearer " + t).orElse(null);
    return Uni.createFrom()
        .deferred(
            () ->
                client.spend(
                    now.minus(window).toString(), now.toString(), "category", authorization))
        .ifNoItem()
        .after(config.timeout())
        .failWith(
            () ->
                new TimeoutException(
                    "budget-service did not answer within " + config.timeout().toMillis() + " ms"))
        // A 4xx (bad token, bad query) will not heal by asking again.
        .onFailure(SpendReader::worthRetrying)
        .retry()
        .withBackOff(config.backoff(), config.backoff().multipliedBy(8))
        .atMost(config.retries())
        .map(SpendReader::byCategory);
  }

  private static boolean worthRetrying(Throwable failure) {
    return !(failure instanceof WebApplicationException web
        && web.getResponse().getStatus() >= 400
        && web.getResponse().getStatus() < 500);
  }

  private static Map<String, BigDecimal> byCategory(SpendReport report) {
    Map<String, BigDecimal> sums = new LinkedHashMap<>();
    for (SpendReport.Group g : report.groups()) {
      String category = g.group() == null ? null : g.group().get("category");
      sums.merge(category == null ? "none" : category, g.amountUsd(), BigDecimal::add);
    }
    return sums;
  }
}
