package dev.bulwark.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every Bulwark service promises an operator, inherited by one {@code @QuarkusTest} per
 * service that runs with {@link PostgresResource}: health and metrics on the management interface,
 * OpenAPI, its own Flyway schema, problem+json for unknown paths, and readiness that follows the
 * database.
 */
public abstract class ServiceContractTests {

  @InjectPostgres protected PostgresCluster postgres;

  @TestHTTPResource(value = "/health/live", management = true)
  protected URL live;

  @TestHTTPResource(value = "/health/ready", management = true)
  protected URL ready;

  @TestHTTPResource(value = "/metrics", management = true)
  protected URL metrics;

  @TestHTTPResource(value = "/openapi", management = true)
  protected URL openapi;

  /** Whether the service cannot work without its database (and so is not ready without it). */
  protected boolean needsDatabase() {
    return true;
  }

  @Test
  void livenessIsUp() {
    given().get(live).then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void readinessIsUpWithTheDatabase() {
    given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void metricsAreServedInPrometheusFormat() {
    given()
        .get(metrics)
        .then()
        .statusCode(200)
        .body(containsString("# HELP jvm_memory_used_bytes"))
        .body(containsString("# TYPE"));
  }

  @Test
  void openApiDocumentIsServed() {
    given().get(openapi).then().statusCode(200).body(containsString("openapi: 3"));
  }

  @Test
  void migratesItsOwnSchemaWithFlyway() {
    String schema = ConfigProvider.getConfig().getValue("quarkus.flyway.schemas", String.class);

    String applied =
        postgres
            .primary()
            .queryValue(
                "SELECT count(*) FROM \"" + schema + "\".flyway_schema_history WHERE success");

    assertThat(Integer.parseInt(applied)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void unknownPathIsAProblemDocument() {
    given()
        .get("/api/v1/no-such-thing")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("title", equalTo("Not Found"));
  }

  @Test
  void readinessFollowsTheDatabaseThroughACrashAndRestart() {
    postgres.primary().crash();
    try {
      if (needsDatabase()) {
        awaitReadiness(503);
      } else {
        // Give the health check a fair chance to see the outage before asserting it stays UP.
        awaitReadinessChecksRun();
        given().get(ready).then().statusCode(200);
      }
    } finally {
      postgres.primary().start();
    }
    awaitReadiness(200);
  }

  private void awaitReadiness(int status) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    int last = -1;
    while (Instant.now().isBefore(deadline)) {
      last = given().get(ready).statusCode();
      if (last == status) {
        return;
      }
      pause();
    }
    assertThat(last).as("readiness status after 60 s").isEqualTo(status);
  }

  private void awaitReadinessChecksRun() {
    for (int i = 0; i < 3; i++) {
      given().get(ready).then().statusCode(200);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
