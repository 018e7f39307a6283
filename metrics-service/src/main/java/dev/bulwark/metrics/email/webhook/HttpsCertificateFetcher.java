package dev.bulwark.metrics.email.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Fetches SNS signing certificates over HTTPS from AWS, following no redirect. */
@ApplicationScoped
public class HttpsCertificateFetcher implements CertificateFetcher {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  // A redirect could lead off the allowed host; SNS serves its certificates directly.
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  @Override
  public CompletionStage<byte[]> fetch(URI signingCertUrl) {
    if (!"https".equalsIgnoreCase(signingCertUrl.getScheme())) {
      // SigningCertificates allows https only; this guards against a caller that skipped it.
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("only https certificate URLs are fetched"));
    }
    return http.sendAsync(
            HttpRequest.newBuilder(signingCertUrl).timeout(REQUEST_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException("answered " + response.statusCode());
              }
              return response.body();
            });
  }
}
