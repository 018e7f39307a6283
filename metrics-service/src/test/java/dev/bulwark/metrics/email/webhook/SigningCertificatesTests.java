package dev.bulwark.metrics.email.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.problem.ProblemException;
import java.net.ConnectException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigningCertificatesTests {

  private static final String URL =
      "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem";
  private static final Pattern HOSTS =
      Pattern.compile("sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?");

  private static SnsSigner sns;

  private final List<URI> fetched = new ArrayList<>();

  @BeforeAll
  static void generateKeys() {
    sns = SnsSigner.generate();
  }

  private SigningCertificates serving(Function<URI, CompletionStage<byte[]>> server) {
    return new SigningCertificates(
        HOSTS,
        url -> {
          fetched.add(url);
          return server.apply(url);
        },
        Clock.systemUTC());
  }

  private SigningCertificates serving(byte[] pem) {
    return serving(url -> CompletableFuture.completedFuture(pem));
  }

  private static Throwable failure(CompletionStage<X509Certificate> stage) {
    try {
      stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void fetchesACertificateOnceThenServesItFromTheCache() throws Exception {
    SigningCertificates certificates = serving(sns.pem());

    X509Certificate first = certificates.certificate(URL).toCompletableFuture().get();
    X509Certificate second = certificates.certificate(URL).toCompletableFuture().get();

    assertThat(first).isEqualTo(sns.certificate);
    assertThat(second).isSameAs(first);
    assertThat(fetched).containsExactly(URI.create(URL));
  }

  @Test
  void acceptsChinaRegions() throws Exception {
    String china = "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem";

    assertThat(serving(sns.pem()).certificate(china).toCompletableFuture().get())
        .isEqualTo(sns.certificate);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem",
        "https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-1.pem",
        "https://evil.com/sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem",
        "https://evil.com#@sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem",
        "https://sns.us-east-1.amazonaws.com@evil.com/SimpleNotificationService-1.pem",
        "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-1.pem",
        "https://s3.amazonaws.com/SimpleNotificationService-1.pem",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.crt",
        "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem?redirect=evil.com",
        "file:///etc/passwd",
        "not a url"
      })
  void refusesOtherUrlsWithoutFetchingThem(String url) {
    Throwable refused = failure(serving(sns.pem()).certificate(url));

    assertThat(refused).isInstanceOf(UnauthorizedWebhook.class);
    assertThat(((ProblemException) refused).status()).isEqualTo(401);
    assertThat(fetched).isEmpty();
  }

  @Test
  void aFetchThatFailsIsUnavailableAndNotCached() throws Exception {
    List<CompletionStage<byte[]>> answers =
        new ArrayList<>(
            List.of(
                CompletableFuture.failedFuture(new ConnectException("refused")),
                CompletableFuture.completedFuture(sns.pem())));
    SigningCertificates certificates = serving(url -> answers.remove(0));

    Throwable unavailable = failure(certificates.certificate(URL));
    X509Certificate retried = certificates.certificate(URL).toCompletableFuture().get();

    assertThat(unavailable).isInstanceOf(SigningCertificateUnavailable.class);
    assertThat(((ProblemException) unavailable).status()).isEqualTo(503);
    assertThat(retried).isEqualTo(sns.certificate);
    assertThat(fetched).hasSize(2);
  }

  @Test
  void somethingThatIsNotACertificateIsUnavailable() {
    Throwable unavailable = failure(serving("<html>oops</html>".getBytes()).certificate(URL));

    assertThat(unavailable).isInstanceOf(SigningCertificateUnavailable.class);
  }

  @Test
  void judgesValidityAtTheGivenClocksNow() throws Exception {
    byte[] aws = Fixtures.bytes("aws-sns-signing-cert-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem");
    Clock inMarch = Clock.fixed(Instant.parse("2026-03-06T20:00:00Z"), ZoneOffset.UTC);
    Clock afterExpiry = Clock.fixed(Instant.parse("2026-10-15T00:00:00Z"), ZoneOffset.UTC);

    X509Certificate valid =
        new SigningCertificates(HOSTS, url -> CompletableFuture.completedFuture(aws), inMarch)
            .certificate(URL)
            .toCompletableFuture()
            .get();
    Throwable expired =
        failure(
            new SigningCertificates(
                    HOSTS, url -> CompletableFuture.completedFuture(aws), afterExpiry)
                .certificate(URL));

    assertThat(valid.getSubjectX500Principal().getName()).isEqualTo("CN=sns.amazonaws.com");
    assertThat(expired).isInstanceOf(UnauthorizedWebhook.class);
    assertThat(expired.getMessage()).contains("not valid now");
  }

  @Test
  void refusesAnExpiredCertificate() {
    SnsSigner expired = SnsSigner.generate("-startdate", "-10d", "-validity", "2");
    SigningCertificates certificates = serving(expired.pem());

    Throwable refused = failure(certificates.certificate(URL));
    failure(certificates.certificate(URL));

    assertThat(refused).isInstanceOf(UnauthorizedWebhook.class);
    assertThat(refused.getMessage()).contains("not valid now");
    assertThat(fetched).hasSize(2);
  }
}
