package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backups through the REST API, against the test profile's target {@code store}. */
@QuarkusTest
class BackupApiTests {

  private static final String OPERATOR = TestJwt.token("operator");
  private static final String VIEWER = TestJwt.token("viewer");

  @InjectPostgres PostgresCluster postgres;

  @Test
  void aBackupStartedByTheApiRunsAsAJobAndIsListed() {
    String location =
        StoreBackups.start()
            .statusCode(202)
            .body("kind", equalTo("backup"))
            .body("subject", equalTo("store"))
            .body("state", equalTo("running"))
            .body("trigger", equalTo("api"))
            .header("Location", containsString("/api/v1/jobs/"))
            .extract()
            .header("Location");

    JsonPath job = JobPolling.awaitEnd(location);

    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
    String backupId = job.getString("backupId");
    assertThat(job.getString("result.backupId")).isEqualTo(backupId);
    assertThat(job.getLong("result.storedBytes")).isPositive();
    JsonPath listed =
        given()
            .auth()
            .oauth2(VIEWER)
            .get("/api/v1/backups?target=store")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(listed.getList("backupId", String.class)).contains(backupId);
    JsonPath detail = StoreBackups.detail(backupId).extract().jsonPath();
    // The job table itself is in the backup, with the running job's row.
    assertThat(detail.getLong("rowCounts.'backup.job'")).isPositive();
    assertThat(detail.getLong("storedBytes")).isEqualTo(job.getLong("result.storedBytes"));
  }

  @Test
  void aSecondBackupOfATargetWhileOneRunsIsRefusedNamingTheRunningJob() throws Exception {
    // A lock pg_dump must wait for keeps the first backup running for as long as the test needs.
    postgres.primary().execute("CREATE TABLE IF NOT EXISTS public.held (id int)");
    try (Connection holder = postgres.primary().connect("postgres");
        Statement statement = holder.createStatement()) {
      holder.setAutoCommit(false);
      statement.execute("LOCK TABLE public.held IN ACCESS EXCLUSIVE MODE");
      String first = StoreBackups.start().extract().header("Location");
      String firstId = first.substring(first.lastIndexOf('/') + 1);

      StoreBackups.start()
          .statusCode(409)
          .contentType("application/problem+json")
          .body("type", containsString("job-already-running"))
          .body("detail", containsString(firstId));

      assertThat(JobPolling.job(first).getString("state")).isEqualTo("running");
      holder.rollback();
      assertThat(JobPolling.awaitEnd(first).getString("state")).isEqualTo("succeeded");
    }
    // Once it has ended, the next one starts.
    assertThat(
            JobPolling.awaitEnd(StoreBackups.start().statusCode(202).extract().header("Location"))
                .getString("state"))
        .isEqualTo("succeeded");
  }

  @Test
  void badRequestsAreAnsweredBeforeAnyJobStarts() {
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "nope"))
        .post("/api/v1/backups")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", containsString("backup-target-not-found"))
        .body("detail", containsString("store"));
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/v1/backups")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(VIEWER)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store"))
        .post("/api/v1/backups")
        .then()
        .statusCode(403);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store"))
        .post("/api/v1/backups")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/backups/store/20990101T000000Z-abcdef")
        .then()
        .statusCode(404)
        .body("type", containsString("backup-not-found"));
    given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/jobs?kind=sometimes")
        .then()
        .statusCode(400)
        .body("detail", containsString("kind"));
    given().auth().oauth2(VIEWER).get("/api/v1/jobs/not-a-uuid").then().statusCode(400);
    given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/jobs/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .body("type", containsString("job-not-found"));
  }

  @Test
  void jobsArePagedNewestFirst() {
    for (int i = 0; i < 3; i++) {
      JobPolling.awaitEnd(StoreBackups.start().statusCode(202).extract().header("Location"));
    }
    List<String> firstPage =
        given()
            .auth()
            .oauth2(VIEWER)
            .get("/api/v1/jobs?kind=backup&subject=store&limit=2")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("id", String.class);
    List<String> secondPage =
        given()
            .auth()
            .oauth2(VIEWER)
            .get("/api/v1/jobs?kind=backup&subject=store&limit=2&before=" + firstPage.get(1))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("id", String.class);

    assertThat(firstPage).hasSize(2);
    assertThat(secondPage).isNotEmpty().doesNotContainAnyElementsOf(firstPage);
  }
}
