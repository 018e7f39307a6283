package dev.bulwark.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
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

  /**
   * A GET (path under the service's HTTP port) that reads the database, asked with an operator
   * token during an outage; empty when the service has none.
   */
  protected Optional<String> databaseBackedGet() {
    return Optional.empty();
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
  void appliesEachOfItsOwnMigrationsWithFlyway() throws IOException {
    String schema = ConfigProvider.getConfig().getValue("quarkus.flyway.schemas", String.class);
    List<String> files = new ArrayList<>();
    Path migrations = Path.of("src/main/resources/db/migration");
    if (Files.isDirectory(migrations)) {
      try (Stream<Path> listed = Files.list(migrations)) {
        listed
            .map(p -> p.getFileName().toString())
            .filter(name -> name.matches("[VR].*__.*\\.sql"))
            .forEach(files::add);
      }
    }

    // Flyway's own row for creating the schema (type SCHEMA) is not one of the service's.
    String applied =
        postgres
            .primary()
            .queryValue(
                "SELECT coalesce(string_agg(regexp_replace(script, '^.*/', ''), ',' ORDER BY script), '')"
                    + " FROM \""
                    + schema
                    + "\".flyway_schema_history WHERE success AND type <> 'SCHEMA'");

    assertThat(applied.isEmpty() ? List.of() : List.of(applied.split(",")))
        .as("migrations applied in schema %s", schema)
        .containsExactlyInAnyOrderElementsOf(files);
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
        awaitReadiness(503, Duration.ofSeconds(60));
      } else {
        // Give the health check a fair chance to see the outage before asserting it stays UP.
        awaitReadinessChecksRun();
        given().get(ready).then().statusCode(200);
      }
    } finally {
      postgres.primary().start();
    }
    // start() returns once the server accepts connections: every replica is ready within 5 s.
    awaitReadiness(200, Duration.ofSeconds(5));
  }

  @Test
  void anOutageOfAnyLengthWritesABoundedNumberOfLogLines() {
    Instant outageEnds = Instant.now().plus(Duration.ofSeconds(8));
    String operator = TestJwt.token("operator");
    List<Integer> answers = new ArrayList<>();
    try (LogLines lines = LogLines.atLeast(Level.INFO)) {
      postgres.primary().crash();
      try {
        // Jobs tick every second in tests and every readiness probe queries the database.
        while (Instant.now().isBefore(outageEnds)) {
          given().get(ready);
          databaseBackedGet()
              .ifPresent(
                  path -> answers.add(given().auth().oauth2(operator).get(path).statusCode()));
          pause();
        }
      } finally {
        postgres.primary().start();
      }
      awaitReadiness(200, Duration.ofSeconds(5));

      // Each failing source (a job, the request path) logs when it starts failing, never per try.
      assertThat(lines.messages())
          .as("warnings and errors during an 8 s outage")
          .hasSizeLessThan(8);
      // A request that needs the database is refused cleanly (503, retry later), never a 500.
      assertThat(answers).as("answers during the outage").allMatch(status -> status == 503);
    }
  }

  private void awaitReadiness(int status, Duration within) {
    Instant deadline = Instant.now().plus(within);
    int last = -1;
    while (Instant.now().isBefore(deadline)) {
      last = given().get(ready).statusCode();
      if (last == status) {
        return;
      }
      pause(100);
    }
    assertThat(last).as("readiness status after %s", within).isEqualTo(status);
  }

  private void awaitReadinessChecksRun() {
    for (int i = 0; i < 3; i++) {
      given().get(ready).then().statusCode(200);
    }
  }

  private static void pause() {
    pause(200);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
