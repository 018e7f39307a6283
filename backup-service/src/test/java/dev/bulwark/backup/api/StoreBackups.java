package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.TestJwt;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/** Logical backups of the test profile's target {@code store}, asked for by an operator. */
public final class StoreBackups {

  private static final String OPERATOR = TestJwt.token("operator");
  private static final String VIEWER = TestJwt.token("viewer");

  private StoreBackups() {}

  /** {@code POST /api/v1/backups} for {@code store}: the answer, for the test to check. */
  public static ValidatableResponse start() {
    return given()
        .auth()
        .oauth2(OPERATOR)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store"))
        .post("/api/v1/backups")
        .then();
  }

  /** Starts a backup and waits for its job to succeed; returns the backup's id. */
  public static String take() {
    JsonPath job = JobPolling.awaitEnd(start().statusCode(202).extract().header("Location"));
    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
    return job.getString("backupId");
  }

  /** {@code GET /api/v1/backups/store/<id>} as a viewer, answered 200, for the test to check. */
  public static ValidatableResponse detail(String backupId) {
    return given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/backups/store/" + backupId)
        .then()
        .statusCode(200);
  }
}
