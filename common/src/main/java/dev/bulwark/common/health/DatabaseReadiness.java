package dev.bulwark.common.health;

import dev.bulwark.common.logging.OutageLog;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of every service: UP while the reactive pool that serves requests can run a query.
 * Quarkus's own datasource checks are off (common's config): the JDBC one probes the Flyway-only
 * pool, which stayed DOWN about 30 s after the database returned while requests were served again.
 * A service that must stay ready without its database sets {@code bulwark.health.database=false} at
 * build time. A check that succeeds also ends the outage that request failures opened in the log.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "bulwark.health.database", stringValue = "true", enableIfMissing = true)
public class DatabaseReadiness implements AsyncHealthCheck {

  /** The source name under which request failures and this check log a database outage. */
  public static final String DATABASE = "database";

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Pool pool;
  private final OutageLog outages;

  public DatabaseReadiness(Pool pool, OutageLog outages) {
    this.pool = pool;
    this.outages = outages;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return pool.query("SELECT 1")
        .execute()
        .ifNoItem()
        .after(TIMEOUT)
        .fail()
        .map(
            rows -> {
              outages.succeeded(DATABASE);
              return HealthCheckResponse.up(DATABASE);
            })
        .onFailure()
        .recoverWithItem(
            failure ->
                HealthCheckResponse.named(DATABASE)
                    .down()
                    .withData("error", failure.getClass().getSimpleName())
                    .build());
  }
}
