package dev.bulwark.metrics.api;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.metrics.ProviderCredentials;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SesWebhookResourceTests {

  static final List<String> NOTIFICATIONS =
      List.of(
          "sns-ses-bounce.json",
          "sns-ses-complaint.json",
          "sns-ses-delivery.json",
          "sns-ses-delivery-delay.json",
          "sns-ses-open.json");

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @BeforeEach
  void startFromNoEvents() {
    postgres.primary().execute("TRUNCATE metrics.email_event, metrics.email_rollup");
  }

  @Test
  void snsIsChallengedForBasicCredentialsAndWrongOnesAreRefused() {
    given()
        .contentType("text/plain")
        .body(Payloads.ses("sns-ses-delivery.json"))
        .post("/api/v1/webhooks/ses")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Basic"))
        .contentType("application/problem+json");
    given()
        .auth()
        .preemptive()
        .basic(ProviderCredentials.SNS_USER, "wrong")
        .contentType("text/plain")
        .body(Payloads.ses("sns-ses-delivery.json"))
        .post("/api/v1/webhooks/ses")
        .then()
        .statusCode(401);
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("0");
  }

  @Test
  void sesAndSendGridTogetherGiveTheRatiosComputedByHand() {
    for (String name : NOTIFICATIONS) {
      sns(Payloads.ses(name)).statusCode(200).body("type", equalTo("Notification"));
    }
    // An SNS retry re-sends the same MessageId: nothing more is counted.
    sns(Payloads.ses("sns-ses-bounce.json"))
        .statusCode(200)
        .body("events.stored", equalTo(0))
        .body("events.duplicates", equalTo(2));
    given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType("application/json")
        .body(Payloads.sendGrid())
        .post("/api/v1/webhooks/sendgrid")
        .then()
        .statusCode(200);

    // SES: delivered 1, hard 2, complaint 1, deferred 1; SendGrid: delivered 2, hard 1, soft 1,
    // complaint 1, deferred 1. bounce = 3 / (3 + 3); complaints = 2 / 3.
    awaitAsserted(
        metrics,
        "both providers' events in the 7d window",
        s -> {
          assertThat(s.value("bulwark_email_events", "event", "delivered", "window", "7d"))
              .hasValue(3);
          assertThat(s.value("bulwark_email_bounce_ratio", "window", "7d")).hasValue(0.5);
          assertThat(s.value("bulwark_email_complaint_ratio", "window", "7d")).hasValue(2.0 / 3);
          assertThat(s.value("bulwark_email_events", "event", "deferred", "window", "7d"))
              .hasValue(2);
        });
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("11");
  }

  @Test
  void aSubscriptionConfirmationIsConfirmedOnAnAllowedHostOnly() throws Exception {
    AtomicInteger visits = new AtomicInteger();
    HttpServer sns =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    sns.createContext(
        "/",
        exchange -> {
          visits.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    sns.start();
    try {
      String local =
          "http://127.0.0.1:" + sns.getAddress().getPort() + "/?Action=ConfirmSubscription";
      String body =
          Payloads.ses("sns-subscription-confirmation.json")
              .replaceFirst("\"SubscribeURL\": \"[^\"]+\"", "\"SubscribeURL\": \"" + local + "\"");
      sns(body)
          .statusCode(200)
          .body("type", equalTo("SubscriptionConfirmation"))
          .body("confirmed", equalTo(true));
      assertThat(visits).hasValue(1);

      // The fixture's own URL points at AWS, which the test configuration does not allow.
      sns(Payloads.ses("sns-subscription-confirmation.json"))
          .statusCode(200)
          .body("confirmed", equalTo(false));
      assertThat(visits).hasValue(1);
    } finally {
      sns.stop(0);
    }
  }

  @Test
  void otherTopicsAndOtherFormatsAreRefused() {
    sns(Payloads.ses("sns-ses-delivery.json")
            .replace(ProviderCredentials.SNS_TOPIC, "arn:aws:sns:us-east-1:1:other"))
        .statusCode(403)
        .body("detail", containsString("topic-arns"));
    sns("{\"hello\": \"world\"}").statusCode(400).contentType("application/problem+json");
    sns("[1, 2]").statusCode(400);
    assertThat(postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event"))
        .isEqualTo("0");
  }

  private static ValidatableResponse sns(String body) {
    return given()
        .auth()
        .preemptive()
        .basic(ProviderCredentials.SNS_USER, ProviderCredentials.SNS_PASSWORD)
        .header("x-amz-sns-message-type", "Notification")
        .contentType("text/plain; charset=UTF-8")
        .body(body)
        .post("/api/v1/webhooks/ses")
        .then();
  }
}
