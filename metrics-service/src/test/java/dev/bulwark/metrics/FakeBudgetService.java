package dev.bulwark.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Speaks budget-service's {@code GET /api/v1/spend} contract (the JSON shape of its SpendReport)
 * with sums the test sets, and can fail or hang on demand: the outages metrics-service must
 * survive. In {@link Mode#FORWARD} it relays each call unchanged (with its trace context) to a real
 * budget-service, so that one application start serves both kinds of test.
 */
public final class FakeBudgetService implements QuarkusTestResourceLifecycleManager {

  /** How the fake answers. */
  public enum Mode {
    ANSWER,
    FAIL,
    HANG,
    FORWARD
  }

  private static volatile FakeBudgetService instance;

  private final Map<String, Map<String, BigDecimal>> spendByWindow = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  // Valid for the whole module's run: a real budget-service checks the expiry.
  private final String token = TestJwt.token(Duration.ofHours(2), "viewer");
  // HTTP/1.1 as metrics-service's REST client speaks it (the JDK client would try an h2c upgrade).
  private final HttpClient relay =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private volatile URI forwardTo;
  private volatile Mode mode = Mode.ANSWER;
  private volatile CountDownLatch hang = new CountDownLatch(1);
  private HttpServer server;

  public static FakeBudgetService instance() {
    return instance;
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/api/v1/spend", this::spend);
    server.start();
    instance = this;
    return Map.of(
        "quarkus.rest-client.budget-service.url",
        "http://127.0.0.1:" + server.getAddress().getPort(),
        "bulwark.metrics.spend.token",
        token);
  }

  @Override
  public void stop() {
    hang.countDown();
    if (server != null) {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  /** Sets the spend per category that a query over {@code window} ("24h" or "7d") returns. */
  public void spend(String window, Map<String, BigDecimal> byCategory) {
    spendByWindow.put(window, Map.copyOf(byCategory));
  }

  public void mode(Mode mode) {
    if (mode != Mode.HANG) {
      hang.countDown();
    } else {
      hang = new CountDownLatch(1);
    }
    this.mode = mode;
  }

  /** Relays every call to the budget-service at {@code target} until another mode is set. */
  public void forwardTo(URI target) {
    forwardTo = target;
    mode(Mode.FORWARD);
  }

  public int calls() {
    return calls.get();
  }

  private void spend(HttpExchange exchange) throws IOException {
    calls.incrementAndGet();
    try (exchange) {
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, "{\"status\":401}");
        return;
      }
      switch (mode) {
        case FAIL -> respond(exchange, 503, "{\"status\":503}");
        case HANG -> {
          awaitRelease();
          respond(exchange, 503, "{\"status\":503}");
        }
        case ANSWER -> respond(exchange, 200, report(query(exchange)));
        case FORWARD -> forward(exchange);
      }
    }
  }

  private void forward(HttpExchange exchange) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(forwardTo.resolve(exchange.getRequestURI().toString()))
            .timeout(Duration.ofSeconds(10));
    for (String header : List.of("Authorization", "Accept", "traceparent", "tracestate")) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        request.header(header, value);
      }
    }
    try {
      HttpResponse<String> answer = relay.send(request.build(), BodyHandlers.ofString());
      respond(exchange, answer.statusCode(), answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, "{\"status\":503}");
    }
  }

  private void awaitRelease() {
    try {
      hang.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String report(Map<String, String> query) {
    Instant from = Instant.parse(query.get("from"));
    Instant to = Instant.parse(query.get("to"));
    String window = Duration.between(from, to).toHours() <= 24 ? "24h" : "7d";
    Map<String, BigDecimal> sums = spendByWindow.getOrDefault(window, Map.of());
    BigDecimal total = sums.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    String groups =
        sums.entrySet().stream()
            .map(
                e ->
                    "{\"group\":{\"category\":\""
                        + e.getKey()
                        + "\"},\"amountUsd\":"
                        + e.getValue().toPlainString()
                        + ",\"overrunUsd\":0,\"entries\":1}")
            .collect(Collectors.joining(","));
    return "{\"from\":\"%s\",\"to\":\"%s\",\"groupBy\":[\"category\"],\"totalUsd\":%s,\"groups\":[%s]}"
        .formatted(from, to, total.toPlainString(), groups);
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return query;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
