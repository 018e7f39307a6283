package dev.bulwark.metrics.api;

import static dev.bulwark.testing.Scrapes.awaitAsserted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.metrics.ProviderCredentials;
import dev.bulwark.metrics.email.webhook.FixtureCertificates;
import dev.bulwark.metrics.email.webhook.Fixtures;
import dev.bulwark.metrics.email.webhook.SnsSigner;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.LogLines;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SES webhook with SNS signature checking on, as in production: the {@code aws-sns-*.json}
 * fixtures are messages AWS signed, checked against AWS's certificate with the clock at their
 * Timestamp; the hand-written SES fixtures are signed here with the test key, whose certificate
 * {@link FixtureCertificates} serves at their SigningCertURL.
 */
@QuarkusTest
class SesWebhookResourceTests {

  static final List<String> NOTIFICATIONS =
      List.of(
          "sns-ses-bounce.json",
          "sns-ses-complaint.json",
          "sns-ses-delivery.json",
          "sns-ses-delivery-delay.json",
          "sns-ses-open.json");

  private static final SnsSigner SNS = SnsSigner.fromFixtures();

  @InjectPostgres PostgresCluster postgres;

  @Inject FixtureCertificates certificates;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  private MutableClock clock;

  @BeforeEach
  void startFromNoEventsAtNoon() {
    postgres.primary().execute("TRUNCATE metrics.email_event, metrics.email_rollup");
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void snsIsChallengedForBasicCredentialsAndWrongOnesAreRefused() {
    given()
        .contentType("text/plain")
        .body(signed(Payloads.ses("sns-ses-delivery.json")))
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
        .body(signed(Payloads.ses("sns-ses-delivery.json")))
        .post("/api/v1/webhooks/ses")
        .then()
        .statusCode(401);
    assertThat(eventsStored()).isEqualTo("0");
  }

  @ParameterizedTest
  @CsvSource({
    "aws-sns-subscription-confirmation-v1.json, SubscriptionConfirmation",
    "aws-sns-unsubscribe-confirmation-v2.json, UnsubscribeConfirmation"
  })
  void confirmationsSignedByAwsAreAccepted(String fixture, String type) {
    clock.set(publishedAt(fixture).plusSeconds(1));

    post(Fixtures.bytes(fixture)).statusCode(200).body("type", equalTo(type));

    assertThat(certificates.requested()).contains(URI.create(FixtureCertificates.AWS_CERT_URL));
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws-sns-notification-v1.json", "aws-sns-notification-v2.json"})
  void notificationsSignedByAwsPassTheSignatureAndReachTheSesParser(String fixture) {
    clock.set(publishedAt(fixture).plusSeconds(1));

    // AWS's test topic carries plain text, not SES events: a 400 about the Message (not a 401)
    // shows that the signature, certificate and age checks passed.
    post(Fixtures.bytes(fixture))
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("Message"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws-sns-notification-v1.json",
        "aws-sns-notification-v2.json",
        "aws-sns-subscription-confirmation-v1.json",
        "aws-sns-unsubscribe-confirmation-v2.json"
      })
  void anAwsSignedMessageWithOneAlteredByteIsRefused(String fixture) {
    clock.set(publishedAt(fixture).plusSeconds(1));
    byte[] original = Fixtures.bytes(fixture);
    byte[] altered = alterFirstLetterOfMessage(original);

    post(altered)
        .statusCode(401)
        .contentType("application/problem+json")
        .body("detail", containsString("Signature does not verify"));
    post(original).statusCode(fixture.contains("notification") ? 400 : 200);
  }

  @Test
  void aSesNotificationWithOneAlteredByteCountsNothing() {
    byte[] bounce = signed(Payloads.ses("sns-ses-bounce.json")).getBytes(StandardCharsets.UTF_8);

    post(alterFirstLetterOfMessage(bounce)).statusCode(401);
    assertThat(eventsStored()).isEqualTo("0");

    post(bounce).statusCode(200).body("events.stored", equalTo(2));
    assertThat(eventsStored()).isEqualTo("2");
  }

  @Test
  void aSignedMessageOlderThanSnsRetriesIsRefusedAsAReplay() {
    String fixture = "aws-sns-unsubscribe-confirmation-v2.json";
    clock.set(publishedAt(fixture).plus(Duration.ofMinutes(59)));
    post(Fixtures.bytes(fixture)).statusCode(200);

    clock.set(publishedAt(fixture).plus(Duration.ofMinutes(61)));
    post(Fixtures.bytes(fixture))
        .statusCode(401)
        .contentType("application/problem+json")
        .body("detail", containsString("max-message-age"));
  }

  @Test
  void aMessageIsRefusedWhenItsCertificateIsNotValidAtTheServiceClocksNow() {
    String fixture = "aws-sns-unsubscribe-confirmation-v2.json";
    // AWS's certificate is valid from 2025-11-10 to 2026-10-14.
    clock.set(Instant.parse("2026-10-15T00:00:00Z"));

    post(Fixtures.bytes(fixture))
        .statusCode(401)
        .body("detail", containsString("is not valid now"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-1.pem",
        "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem",
        "https://sns.us-east-1.amazonaws.com/?Action=GetCertificate"
      })
  void aSigningCertUrlOffTheSnsCertificatesIsRefusedWithoutFetchingIt(String url) {
    String body =
        signed(Payloads.ses("sns-ses-delivery.json").replace(SnsSigner.FIXTURE_CERT_URL, url));

    sns(body)
        .statusCode(401)
        .contentType("application/problem+json")
        .body("detail", containsString("SigningCertURL " + url))
        .body("detail", containsString("it was not fetched"));
    assertThat(certificates.requested()).doesNotContain(URI.create(url));
    assertThat(eventsStored()).isEqualTo("0");
  }

  @Test
  void aBodyOverTheByteLimitIsRefusedWith413() {
    byte[] body = new byte[2 * 1024 * 1024 + 1];
    Arrays.fill(body, (byte) ' ');

    post(body)
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString("bulwark.metrics.webhooks.max-body"));
  }

  @Test
  void sesAndSendGridTogetherGiveTheRatiosComputedByHand() {
    for (String name : NOTIFICATIONS) {
      sns(signed(Payloads.ses(name))).statusCode(200).body("type", equalTo("Notification"));
    }
    // An SNS retry re-sends the same MessageId: nothing more is counted.
    sns(signed(Payloads.ses("sns-ses-bounce.json")))
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
    assertThat(eventsStored()).isEqualTo("11");
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
      sns(signed(body))
          .statusCode(200)
          .body("type", equalTo("SubscriptionConfirmation"))
          .body("confirmed", equalTo(true));
      assertThat(visits).hasValue(1);

      // The fixture's own URL points at AWS, which the test configuration does not allow.
      String fixture = Payloads.ses("sns-subscription-confirmation.json");
      String token =
          SnsSigner.fixture("sns-subscription-confirmation.json").get("Token").textValue();
      try (LogLines logs = LogLines.atLeast(Level.INFO)) {
        sns(signed(fixture)).statusCode(200).body("confirmed", equalTo(false));
        assertThat(logs.messages()).anyMatch(line -> line.contains("not confirmed"));
        // The token confirms the subscription for whoever holds it: never in a log line.
        assertThat(logs.messages()).noneMatch(line -> line.contains(token));
      }
      assertThat(visits).hasValue(1);
    } finally {
      sns.stop(0);
    }
  }

  @Test
  void otherTopicsAndOtherFormatsAreRefused() {
    sns(signed(
            Payloads.ses("sns-ses-delivery.json")
                .replace(ProviderCredentials.SNS_TOPIC, "arn:aws:sns:us-east-1:1:other")))
        .statusCode(403)
        .body("detail", containsString("topic-arns"));
    sns("{\"hello\": \"world\"}").statusCode(400).contentType("application/problem+json");
    sns("[1, 2]").statusCode(400);
    assertThat(eventsStored()).isEqualTo("0");
  }

  /** The SNS body signed with the test key, published at the pinned now. */
  private String signed(String body) {
    return SNS.sign(body, clock.instant());
  }

  private static Instant publishedAt(String fixture) {
    return Instant.parse(SnsSigner.fixture(fixture).get("Timestamp").textValue());
  }

  /** The body with the first letter of its Message's text in the other case: one byte changed. */
  private static byte[] alterFirstLetterOfMessage(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    int at = text.indexOf('"', text.indexOf(':', text.indexOf("\"Message\"")) + 1) + 1;
    if (text.charAt(at) == '{') {
      // An SES event as JSON text: alter the first letter of its first key instead.
      at = text.indexOf("\\\"", at) + 2;
    }
    char letter = text.charAt(at);
    char other =
        Character.isUpperCase(letter)
            ? Character.toLowerCase(letter)
            : Character.toUpperCase(letter);
    assertThat(other).as("a letter to alter at %d", at).isNotEqualTo(letter);
    return (text.substring(0, at) + other + text.substring(at + 1))
        .getBytes(StandardCharsets.UTF_8);
  }

  private String eventsStored() {
    return postgres.primary().queryValue("SELECT count(*) FROM metrics.email_event");
  }

  private static ValidatableResponse post(byte[] body) {
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

  private static ValidatableResponse sns(String body) {
    return post(body.getBytes(StandardCharsets.UTF_8));
  }
}
