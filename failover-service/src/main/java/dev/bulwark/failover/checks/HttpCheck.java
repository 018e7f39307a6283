package dev.bulwark.failover.checks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** An http member is up when a GET of its URL answers 2xx within the timeout. */
public final class HttpCheck implements MemberCheck {

  private final HttpClient client;
  private final URI url;
  private final Duration timeout;

  public HttpCheck(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public CheckResult check() {
    long started = System.nanoTime();
    try {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      Duration latency = Duration.ofNanos(System.nanoTime() - started);
      if (response.statusCode() / 100 != 2) {
        return CheckResult.down("answered HTTP " + response.statusCode(), latency);
      }
      return latency.compareTo(timeout) > 0
          ? CheckResult.down("answered after " + latency.toMillis() + " ms", latency)
          : CheckResult.up(latency);
    } catch (IOException e) {
      return CheckResult.down(
          "request failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          Duration.ofNanos(System.nanoTime() - started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CheckResult.down("interrupted", Duration.ofNanos(System.nanoTime() - started));
    }
  }
}
