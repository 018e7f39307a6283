package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.testing.TestJwt;
import io.restassured.path.json.JsonPath;
import java.time.Duration;

/** Follows a job's Location until it has ended. */
public final class JobPolling {

  private static final String VIEWER = TestJwt.token("viewer");

  private JobPolling() {}

  /** The job once it is no longer running (within 90 s). */
  public static JsonPath awaitEnd(String location) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> job(location), job -> !job.getString("state").equals("running"));
  }

  static JsonPath job(String location) {
    return given().auth().oauth2(VIEWER).get(location).then().statusCode(200).extract().jsonPath();
  }
}
