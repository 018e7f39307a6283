package dev.bulwark.metrics.api;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.metrics.ProviderCredentials;
import dev.bulwark.metrics.email.webhook.SendGridSignature;
import dev.bulwark.metrics.email.webhook.SendGridSigner;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ProviderCredentials.class, restrictToAnnotatedClass = false)
class SendGridWebhookResourceTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @BeforeEach
  void startFromNoEvents() {
    postgres.primary().execute("TRUNCATE metrics.email_event, metrics.email_rollup");
  }

  @Test
  void aSignedBatchCountsAndItsRedeliveryDoesNot() {
    byte[] body = Payloads.sendGrid();
    String timestamp = Payloads.sendGridTimestamp();
    String signature = ProviderCredentials.SENDGRID.sign(timestamp, body);

    signed(body, timestamp, signature)
        .statusCode(200)
        .body("received", equalTo(8))
        .body("stored", equalTo(6))
        .body("ignored", equalTo(2));
    // SendGrid retries a batch it got no 2xx for: the same events must not count twice.
    signed(body, timestamp, signature)
        .statusCode(200)
        .body("stored", equalTo(0))
        .body("duplicates", equalTo(6));

    // delivered 2, hard bounce 1, blocked (soft) 1, spamreport 1, deferred 1:
    // bounce = 1 / (2 + 1), complaints = 1 / 2
    awaitAsserted(
        metrics,
        "SendGrid events in the 7d window",
        s -> {
          assertThat(s.value("bulwark_email_events", "event", "delivered", "window", "7d"))
              .hasValue(2);
          assertThat(s.value("bulwark_email_bounce_ratio", "window", "7d")).hasValue(1.0 / 3);
          assertThat(s.value("bulwark_email_complaint_ratio", "window", "7d")).hasValue(0.5);
          assertThat(s.value("bulwark_email_events", "event", "bounced", "window", "7d"))
              .hasValue(2);
          assertThat(s.value("bulwark_email_events", "event", "delivered", "window", "24h"))
              .hasValue(0);
        });
  }

  @Test
  void aFullSendGridBatchOfSmallEventsIsAcceptedAndEveryEventCounted() {
    // SendGrid posts when a batch reaches 768 KB: 6,000 small events are one real batch.
    byte[] body = batch(6_000, Instant.now().minusSeconds(3_600));
    assertThat(body.length).isBetween(700_000, 768 * 1024);
    String timestamp = Payloads.sendGridTimestamp();

    signed(body, timestamp, ProviderCredentials.SENDGRID.sign(timestamp, body))
        .statusCode(200)
        .body("received", equalTo(6_000))
        .body("stored", equalTo(6_000))
        .body("duplicates", equalTo(0));

    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("6000");
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT sum(events) FILTER (WHERE event = 'bounced') || '/' || sum(events)"
                        + " FROM metrics.email_rollup"))
        .isEqualTo("600/6000");
  }

  @Test
  void aBodyOverTheByteLimitIsRefusedWith413AndNothingIsCounted() {
    // 18,000 small events: about 2.15 MB, over the 2 MiB of bulwark.metrics.webhooks.max-body.
    byte[] body = batch(18_000, Instant.now().minusSeconds(3_600));
    assertThat(body.length).isGreaterThan(2 * 1024 * 1024);
    String timestamp = Payloads.sendGridTimestamp();

    signed(body, timestamp, ProviderCredentials.SENDGRID.sign(timestamp, body))
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString(body.length + " bytes"))
        .body("detail", containsString("bulwark.metrics.webhooks.max-body (2097152 bytes)"));

    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("0");
  }

  @Test
  void aBadSignatureIsRefusedAndNothingIsCounted() {
    byte[] body = Payloads.sendGrid();
    String timestamp = Payloads.sendGridTimestamp();
    String signature = ProviderCredentials.SENDGRID.sign(timestamp, body);
    byte[] tampered =
        new String(body, StandardCharsets.UTF_8)
            .replace("\"spamreport\"", "\"delivered\"")
            .getBytes(StandardCharsets.UTF_8);

    signed(tampered, timestamp, signature)
        .statusCode(401)
        .contentType("application/problem+json")
        .body("detail", containsString("signature"));
    signed(body, "1700000000", signature).statusCode(401);
    signed(body, timestamp, new SendGridSigner().sign(timestamp, body)).statusCode(401);
    given().body(body).post("/api/v1/webhooks/sendgrid").then().statusCode(401);

    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("0");
  }

  @Test
  void thePipelineMayPostTheSameFormatWithItsToken() {
    given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType("application/json")
        .body(Payloads.sendGrid())
        .post("/api/v1/webhooks/sendgrid")
        .then()
        .statusCode(200)
        .body("stored", equalTo(6));
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .contentType("application/json")
        .body(Payloads.sendGrid())
        .post("/api/v1/webhooks/sendgrid")
        .then()
        .statusCode(403);
  }

  @Test
  void aBodyThatIsNotSendGridsFormatIsRefused() {
    String timestamp = Payloads.sendGridTimestamp();
    byte[] notAnArray = "{\"event\": \"delivered\"}".getBytes(StandardCharsets.UTF_8);
    signed(notAnArray, timestamp, ProviderCredentials.SENDGRID.sign(timestamp, notAnArray))
        .statusCode(400)
        .contentType("application/problem+json");

    long future = Instant.now().plusSeconds(86_400).getEpochSecond();
    byte[] fromTheFuture =
        ("[{\"email\":\"a@example.com\",\"timestamp\":"
                + future
                + ",\"event\":\"delivered\",\"sg_event_id\":\"f1\",\"sg_message_id\":\"m1\"}]")
            .getBytes(StandardCharsets.UTF_8);
    signed(fromTheFuture, timestamp, ProviderCredentials.SENDGRID.sign(timestamp, fromTheFuture))
        .statusCode(400)
        .body("detail", containsString("future"));

    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("0");
  }

  /** {@code count} SendGrid events of about 120 bytes at {@code at}, every tenth a hard bounce. */
  private static byte[] batch(int count, Instant at) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  "{\"email\":\"r%05d@example.io\",\"timestamp\":%d,\"event\":\"%s\","
                      + "\"sg_event_id\":\"e%05d\",\"sg_message_id\":\"m%05d\"}",
                  i, at.getEpochSecond(), i % 10 == 0 ? "bounce" : "delivered", i, i));
    }
    return json.append("]").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static ValidatableResponse signed(byte[] body, String timestamp, String signature) {
    return given()
        .header(SendGridSignature.SIGNATURE_HEADER, signature)
        .header(SendGridSignature.TIMESTAMP_HEADER, timestamp)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/webhooks/sendgrid")
        .then();
  }
}
