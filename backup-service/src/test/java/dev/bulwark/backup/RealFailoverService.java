package dev.bulwark.backup;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.testing.FreePorts;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.ServiceProcess;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real failover-service, run from its built jar, watching group {@code pipeline}: a real
 * PostgreSQL primary ({@code node1}) and streaming standby ({@code node2}), with its own store in a
 * cluster apart from the pair (as DESIGN.md asks). Group {@code unreached} names members nothing
 * listens on, so it never has a primary. backup-service's REST client points at it with a viewer
 * token. It listens on a fixed port so that a test can stop it and start it again at the same
 * address, and can be frozen (SIGSTOP) to hang like an overloaded peer.
 */
public final class RealFailoverService implements QuarkusTestResourceLifecycleManager {

  public static final String GROUP = "pipeline";
  public static final String UNREACHED = "unreached";

  private static volatile RealFailoverService instance;

  private PostgresCluster store;
  private PostgresCluster pair;
  private int httpPort;
  private Map<String, String> config;
  private ServiceProcess process;

  public static RealFailoverService instance() {
    return instance;
  }

  @Override
  public Map<String, String> start() {
    try {
      store = PostgresCluster.start("fo-store");
      pair = PostgresCluster.start("fo-pair");
      pair.addStandby();
      httpPort = FreePorts.next();
      config = serviceConfig();
      process = ServiceProcess.of("failover-service").config(config).start();
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    instance = this;
    return Map.of(
        "quarkus.rest-client.failover-service.url",
        uri().toString(),
        "bulwark.backup.pitr.failover.token",
        TestJwt.token(Duration.ofHours(6), "viewer"));
  }

  private Map<String, String> serviceConfig() {
    PostgresNode own = store.primary();
    Map<String, String> c = new HashMap<>();
    // Both ports fixed: with one fixed and the other 0, Micrometer's HTTP server meters of the two
    // listeners get different tag keys and the second listener fails to start.
    c.put("quarkus.http.port", Integer.toString(httpPort));
    c.put("quarkus.management.port", Integer.toString(FreePorts.next()));
    c.put("quarkus.datasource.username", own.user());
    c.put("quarkus.datasource.jdbc.url", own.jdbcUrl("postgres"));
    c.put("quarkus.datasource.reactive.url", own.reactiveUrl("postgres"));
    c.put("mp.jwt.verify.publickey", TestJwt.publicKeyBase64());
    c.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
    // One line per request: tests count the calls backup-service made.
    c.put("quarkus.http.access-log.enabled", "true");
    String group = "bulwark.failover.groups." + GROUP + ".";
    c.put(group + "kind", "postgres");
    c.put(group + "period", "200ms");
    c.put(group + "timeout", "1s");
    c.put(group + "username", pair.primary().user());
    c.put(group + "members.node1.url", pair.primary().reactiveUrl("postgres"));
    c.put(group + "members.node2.url", pair.standbys().get(0).reactiveUrl("postgres"));
    String unreached = "bulwark.failover.groups." + UNREACHED + ".";
    c.put(unreached + "kind", "postgres");
    c.put(unreached + "period", "1s");
    c.put(unreached + "members.node1.url", "postgresql://127.0.0.1:" + FreePorts.next() + "/x");
    return c;
  }

  @Override
  public void stop() {
    instance = null;
    if (process != null) {
      thaw();
      process.close();
    }
    if (pair != null) {
      pair.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Where its API answers; the same across {@link #kill()} and {@link #restart()}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** The pair's member by failover-service's name: node1 the first primary, node2 its standby. */
  public PostgresNode member(String name) {
    return switch (name) {
      case "node1" -> pair.primary();
      case "node2" -> pair.standbys().get(0);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** The member that takes writes now: out of recovery and not fenced (read-only). */
  public String writableMember() {
    for (String name : List.of("node1", "node2")) {
      PostgresNode node = member(name);
      if (node.isRunning()
          && "false|off"
              .equals(
                  node.queryValue(
                      "SELECT pg_is_in_recovery()::text || '|' ||"
                          + " current_setting('default_transaction_read_only')"))) {
        return name;
      }
    }
    throw new IllegalStateException("no member of " + GROUP + " takes writes");
  }

  /** Stops the service (SIGTERM, then SIGKILL) and waits until it has exited. */
  public void kill() {
    thaw();
    process.close();
  }

  /** Starts it again on the same port and store; returns once it is ready. */
  public void restart() {
    if (process.isRunning()) {
      throw new IllegalStateException("failover-service still runs");
    }
    process = ServiceProcess.of("failover-service").config(config).start();
  }

  /** SIGSTOP: its socket still accepts connections but nothing answers them. */
  public void freeze() {
    signal("STOP");
  }

  public void thaw() {
    if (process.isRunning()) {
      signal("CONT");
    }
  }

  /** Access-log lines of requests for {@code path} so far. */
  public long requestsFor(String path) {
    return process.log().lines().filter(l -> l.contains("GET " + path + " ")).count();
  }

  /**
   * A switchover drill through the API (the standby promoted by failover-service itself, the old
   * primary fenced); returns the new primary's name once the drill succeeded.
   */
  public String switchover() {
    String operator = TestJwt.token("operator");
    String location =
        given()
            .auth()
            .oauth2(operator)
            .contentType(ContentType.JSON)
            .body("{\"kind\":\"switchover\"}")
            .post(uri().resolve("/api/v1/groups/" + GROUP + "/drills"))
            .then()
            .statusCode(202)
            .extract()
            .header("Location");
    URI drill = uri().resolve(URI.create(location).getPath());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              String state =
                  given().auth().oauth2(operator).get(drill).then().extract().path("state");
              if ("failed".equals(state)) {
                throw new IllegalStateException(
                    "switchover drill failed: "
                        + given().auth().oauth2(operator).get(drill).asString());
              }
              return "succeeded".equals(state);
            });
    return Optional.ofNullable(
            given()
                .auth()
                .oauth2(operator)
                .get(uri().resolve("/api/v1/groups/" + GROUP))
                .then()
                .statusCode(200)
                .extract()
                .<String>path("primary"))
        .orElseThrow();
  }

  private void signal(String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .inheritIO()
              .start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
