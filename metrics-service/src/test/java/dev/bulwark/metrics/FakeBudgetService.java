package dev.bulwark.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
 * survive. budget-service itself is tested against real PostgreSQL in its own module.
 */
public final class FakeBudgetService implements QuarkusTestResourceLifecycleManager {

  /** How the fake answers. */
  public enum Mode {
    ANSWER,
    FAIL,
    HANG
  }

  private static volatile FakeBudgetService instance;

  private final Map<String, Map<String, BigDecimal>> spendByWindow = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final String token = TestJwt.token("viewer");
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
      }
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
