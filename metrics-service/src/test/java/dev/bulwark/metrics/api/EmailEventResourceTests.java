package dev.bulwark.metrics.api;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.metrics.FakeBudgetService;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresResource;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeBudgetService.class, restrictToAnnotatedClass = false)
class EmailEventResourceTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @BeforeEach
  void startFromNoEvents() {
    postgres.primary().execute("TRUNCATE metrics.email_event, metrics.email_rollup");
  }

  @Test
  void ratiosFollowTheEventsExactly() {
    Instant now = Instant.now();
    List<Map<String, Object>> events = new ArrayList<>();
    events.addAll(events(190, "delivered", null, now));
    events.addAll(events(6, "bounced", "hard", now));
    events.addAll(events(4, "bounced", "soft", now));
    events.addAll(events(3, "complained", null, now));
    events.addAll(events(2, "deferred", null, now));

    post(events).statusCode(200).body("received", equalTo(205)).body("stored", equalTo(205));

    // bounce = hard / (delivered + hard) = 6/196; complaints = 3/190
    awaitAsserted(
        metrics,
        "ratios over the posted events",
        s -> {
          for (String window : List.of("1h", "24h", "7d")) {
            assertThat(s.value("bulwark_email_events", "event", "delivered", "window", window))
                .hasValue(190);
            assertThat(s.value("bulwark_email_bounce_ratio", "window", window)).hasValue(6.0 / 196);
            assertThat(s.value("bulwark_email_complaint_ratio", "window", window))
                .hasValue(3.0 / 190);
            assertThat(s.value("bulwark_email_events", "event", "bounced", "window", window))
                .hasValue(10);
            assertThat(s.value("bulwark_email_events", "event", "deferred", "window", window))
                .hasValue(2);
          }
        });
  }

  @Test
  void statsPerCampaignShowWhichCampaignBounces() {
    Instant now = Instant.now();
    List<Map<String, Object>> events = new ArrayList<>(events(40, "delivered", null, now));
    events.addAll(events(10, "bounced", "hard", now));
    List<Map<String, Object>> clean = events(30, "delivered", null, now);
    clean.forEach(e -> e.put("campaign", "newsletter"));
    events.addAll(clean);
    post(events).statusCode(200);

    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .get("/api/v1/email-stats?window=1h")
        .then()
        .statusCode(200)
        .body("window", equalTo("1h"))
        .body("campaigns.size()", equalTo(2))
        .body("campaigns[0].campaign", equalTo("november-launch"))
        .body("campaigns[0].hardBounces", equalTo(10))
        .body("campaigns[0].bounceRatio", equalTo(0.2f))
        .body("campaigns[1].campaign", equalTo("newsletter"))
        .body("campaigns[1].delivered", equalTo(30))
        .body("campaigns[1].bounceRatio", equalTo(0.0f));
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .get("/api/v1/email-stats?window=2h")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("window"));
  }

  @Test
  void aRedeliveredBatchCountsOnce() {
    Instant now = Instant.now();
    List<Map<String, Object>> events = new ArrayList<>(events(9, "delivered", null, now));
    events.addAll(events(1, "complained", null, now));
    post(events).statusCode(200).body("stored", equalTo(10)).body("duplicates", equalTo(0));
    post(events).statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(10));

    awaitAsserted(
        metrics,
        "complaints counted",
        s -> {
          assertThat(s.value("bulwark_email_events", "event", "complained", "window", "1h"))
              .hasValue(1);
          assertThat(s.value("bulwark_email_events", "event", "delivered", "window", "1h"))
              .hasValue(9);
          assertThat(s.value("bulwark_email_complaint_ratio", "window", "1h")).hasValue(1.0 / 9);
        });
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("10");
  }

  @Test
  void eventsOlderThanAWindowStayOutOfIt() {
    Instant twoDaysAgo = Instant.now().minus(2, ChronoUnit.DAYS);
    post(events(5, "delivered", null, twoDaysAgo)).statusCode(200);

    awaitAsserted(
        metrics,
        "old events in the 7d window",
        s -> {
          assertThat(s.value("bulwark_email_events", "event", "delivered", "window", "7d"))
              .hasValue(5);
          assertThat(s.value("bulwark_email_events", "event", "delivered", "window", "24h"))
              .hasValue(0);
          assertThat(s.value("bulwark_email_complaint_ratio", "window", "24h")).isEmpty();
        });
  }

  @Test
  void badEventsAreRefusedAndNothingOfTheBatchIsStored() {
    Instant now = Instant.now();
    List<Map<String, Object>> unknownType = new ArrayList<>(events(3, "delivered", null, now));
    unknownType.addAll(events(1, "opened", null, now));
    post(unknownType)
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", containsString("events[3].event"))
        .body("detail", containsString("delivered, bounced, complained, deferred"));

    List<Map<String, Object>> bounceWithoutType =
        new ArrayList<>(events(3, "delivered", null, now));
    bounceWithoutType.addAll(events(1, "bounced", null, now));
    post(bounceWithoutType)
        .statusCode(400)
        .body("errors[0].field", equalTo("events[3].bounceType"));

    List<Map<String, Object>> future = new ArrayList<>(events(3, "delivered", null, now));
    future.addAll(events(1, "delivered", null, now.plus(1, ChronoUnit.DAYS)));
    post(future)
        .statusCode(400)
        .body("errors[0].field", equalTo("events[3].occurredAt"))
        .body("detail", containsString("future"));

    post(events(251, "delivered", null, now))
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString("at most 250"));

    given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body("{\"events\": [{\"providerEventId\": \"x\", \"event\": \"delivered\"")
        .post("/api/v1/email-events")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");

    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("0");
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_rollup"))
        .isEqualTo("0");
  }

  @Test
  void onlyThePipelineRoleMayPostEvents() {
    String body = "{\"events\": []}";
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/email-events")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/email-events")
        .then()
        .statusCode(403);
  }

  static List<Map<String, Object>> events(int n, String event, String bounceType, Instant at) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> e = new java.util.HashMap<>();
      e.put("providerEventId", UUID.randomUUID().toString());
      e.put("messageId", "msg-" + i);
      e.put("event", event);
      e.put("campaign", "november-launch");
      e.put("occurredAt", at.toString());
      if (bounceType != null) {
        e.put("bounceType", bounceType);
      }
      events.add(e);
    }
    return events;
  }

  private static io.restassured.response.ValidatableResponse post(
      List<Map<String, Object>> events) {
    return given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(Map.of("events", events))
        .post("/api/v1/email-events")
        .then();
  }
}
