package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Mirror runs on demand, through the API (test profile: own storage → target/test-mirror). */
@QuarkusTest
class MirrorApiTests {

  private static final String OPERATOR = TestJwt.token("operator");
  private static final String VIEWER = TestJwt.token("viewer");

  @Inject ObjectStorage storage;

  @Test
  void aRunOnDemandCopiesNewObjectsAndIsReportedAsAJob() throws Exception {
    String key = "api-mirror/" + UUID.randomUUID() + ".txt";
    byte[] content = ("mirrored " + key).getBytes(StandardCharsets.UTF_8);
    storage.put(ObjectKey.of(key), new ByteArrayInputStream(content));

    String location =
        given()
            .auth()
            .oauth2(OPERATOR)
            .post("/api/v1/mirrors/backups/runs")
            .then()
            .statusCode(202)
            .body("kind", equalTo("mirror"))
            .body("subject", equalTo("backups"))
            .extract()
            .header("Location");
    JsonPath job = JobPolling.awaitEnd(location);

    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
    assertThat(job.getLong("result.objectsCopied")).isGreaterThanOrEqualTo(1);
    assertThat(job.getLong("result.objectsPending")).isZero();
    Path copy = Path.of(System.getProperty("user.dir"), "target/test-mirror", key);
    assertThat(Files.readAllBytes(copy)).isEqualTo(content);
    JsonPath mirrors =
        given()
            .auth()
            .oauth2(VIEWER)
            .get("/api/v1/mirrors")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(mirrors.getString("[0].name")).isEqualTo("backups");
    assertThat(mirrors.getString("[0].lastSuccessAt")).isNotNull();
    assertThat(mirrors.getLong("[0].lastRunFailedObjects")).isZero();
  }

  @Test
  void unknownMirrorsAndViewersAreRefused() {
    given()
        .auth()
        .oauth2(OPERATOR)
        .post("/api/v1/mirrors/nope/runs")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", containsString("mirror-not-found"))
        .body("detail", containsString("backups"));
    given().auth().oauth2(VIEWER).post("/api/v1/mirrors/backups/runs").then().statusCode(403);
  }
}
