package dev.bulwark.backup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Speaks failover-service's {@code GET /api/v1/groups/{group}} contract (the JSON of its {@code
 * GroupView} and {@code MemberView} records, every field) with the primary a test sets, and can
 * fail, refuse or hang on demand. It checks the bearer token it hands the application.
 */
public final class FakeFailoverService implements QuarkusTestResourceLifecycleManager {

  /** How the fake answers. */
  public enum Mode {
    ANSWER,
    FAIL,
    HANG
  }

  public static final String TOKEN = "failover-viewer-token";

  private static volatile FakeFailoverService instance;

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.ANSWER;
  private volatile String primary = "node1";
  private volatile CountDownLatch hang = new CountDownLatch(1);
  private HttpServer server;

  public static FakeFailoverService instance() {
    return instance;
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/api/v1/groups/", this::group);
    server.start();
    instance = this;
    return Map.of(
        "quarkus.rest-client.failover-service.url",
        "http://127.0.0.1:" + server.getAddress().getPort(),
        "bulwark.backup.pitr.failover.token",
        TOKEN);
  }

  @Override
  public void stop() {
    hang.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  /** Back to answering with node1 as the primary of every group; calls forgotten. */
  public void reset() {
    mode = Mode.ANSWER;
    primary = "node1";
    hang.countDown();
    hang = new CountDownLatch(1);
    calls.clear();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** The member named primary; null: the group has none yet. */
  public void primary(String member) {
    this.primary = member;
  }

  /** The paths asked, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  private void group(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      calls.add(path);
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "{\"status\":401,\"title\":\"Unauthorized\"}");
        return;
      }
      String group = path.substring("/api/v1/groups/".length());
      if (!group.equals("pipeline")) {
        send(exchange, 404, "{\"type\":\"group-not-found\",\"status\":404}");
        return;
      }
      switch (mode) {
        case FAIL -> send(exchange, 503, "{\"status\":503,\"title\":\"Service Unavailable\"}");
        case HANG -> {
          try {
            hang.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(exchange, 503, "{}");
        }
        case ANSWER -> send(exchange, 200, view(group, primary));
      }
    }
  }

  // failover-service's GroupView as Jackson writes it (null fields included).
  private static String view(String group, String primary) {
    String p = primary == null ? "null" : "\"" + primary + "\"";
    return """
        {"group":"%s","kind":"postgres","primary":%s,"epoch":3,"paused":false,"state":"healthy",
         "lastFailoverAt":"2026-12-01T14:03:01.412Z",
         "members":[
          {"name":"node1","role":"%s","up":true,"consecutiveFailures":0,"lagBytes":null,
           "lastCheckAt":"2026-12-01T14:05:00Z","lastError":null},
          {"name":"node2","role":"%s","up":true,"consecutiveFailures":0,"lagBytes":0,
           "lastCheckAt":"2026-12-01T14:05:00Z","lastError":null}]}
        """
        .formatted(
            group,
            p,
            "node1".equals(primary) ? "primary" : "standby",
            "node2".equals(primary) ? "primary" : "standby");
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
