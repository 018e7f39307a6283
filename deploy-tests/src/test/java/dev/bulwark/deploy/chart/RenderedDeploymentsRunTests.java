package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.testing.PostgresBinaries;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.S3Server;
import dev.bulwark.testing.TestJwt;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered Deployments run the services as they are: each service's built jar starts through
 * its image's entrypoint with exactly the environment its rendered Deployment (production values)
 * gives its container, the Secrets an operator creates filled with test values, and becomes ready
 * and live on the probes' paths and port. A pod's network and volumes cannot exist here, so {@link
 * #replacements} lists everything that differs from the cluster, and nothing else does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenderedDeploymentsRunTests {

  // About 20 s each on an idle machine; four JVMs starting at once on two busy cores took 140 s.
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  /** Each pod gets its own loopback address: in a cluster each has its own IP, same ports. */
  private final Map<String, String> podAddress = new LinkedHashMap<>();

  private final Map<String, PodProcess> pods = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PostgresCluster store;
  private PostgresCluster pipeline;
  private S3Server s3;
  private RenderedChart rendered;

  private Path volumes;

  @BeforeAll
  void startTheRenderedPods(@TempDir Path dir) throws Exception {
    volumes = dir;
    // Bulwark's own store, and the pipeline's database pair the services watch, back up, fail over.
    store = PostgresCluster.start("deploy-store");
    store.primary().createDatabase("bulwark");
    pipeline = PostgresCluster.start("deploy-pipeline");
    pipeline.primary().createDatabase("pipeline");
    pipeline
        .primary()
        .execute(
            """
            CREATE ROLE bulwark_monitor LOGIN IN ROLE pg_monitor;
            CREATE ROLE bulwark_backup LOGIN REPLICATION IN ROLE pg_read_all_data;
            CREATE ROLE bulwark_failover LOGIN IN ROLE pg_monitor;
            CREATE ROLE bulwark_verify LOGIN CREATEDB;
            """);
    pipeline.addStandby();
    s3 = S3Server.start();

    // A random 127.x.y.0/24 per run: two runs on one machine never share a pod address.
    String net =
        "127."
            + ThreadLocalRandom.current().nextInt(1, 255)
            + "."
            + ThreadLocalRandom.current().nextInt(1, 255)
            + ".";
    for (int i = 0; i < RenderedChart.SERVICES.size(); i++) {
      podAddress.put(RenderedChart.SERVICES.get(i), net + (i + 1));
    }
    rendered =
        Chart.render(
            Chart.PRODUCTION_VALUES,
            // The issuer of the test's tokens: values an operator sets, not a replacement.
            "jwt.issuer",
            TestJwt.ISSUER,
            // Spend read every 2 s instead of 60 s, so that the wiring shows within the test.
            "metricsService.config.BULWARK_METRICS_SPEND_REFRESH_EVERY",
            "2s");

    PodEnvironment environment = new PodEnvironment(rendered, secrets());
    Map<String, String> replacements = replacements();
    Pattern replaced =
        Pattern.compile(
            replacements.keySet().stream()
                .sorted(Comparator.comparing(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|")));
    for (String service : RenderedChart.SERVICES) {
      Map<String, String> env = new LinkedHashMap<>();
      environment
          .of(rendered.container(service))
          .forEach(
              (name, value) ->
                  env.put(
                      name,
                      replaced
                          .matcher(value)
                          .replaceAll(m -> Matcher.quoteReplacement(replacements.get(m.group())))));
      // The pod's IP: the service listens on all interfaces of its pod, here on its own address.
      env.put("QUARKUS_HTTP_HOST", podAddress.get(service));
      env.put("QUARKUS_MANAGEMENT_HOST", podAddress.get(service));
      if (service.equals("backup-service")) {
        // The image's PostgreSQL tools (PG_MAJOR 17) are this machine's.
        env.put("BULWARK_BACKUP_PG_BIN", PostgresBinaries.bindir().toString());
      }
      pods.put(service, PodProcess.start(service, env, Path.of("target", "pods").toAbsolutePath()));
    }
  }

  /**
   * Everything that differs from a cluster, as text replaced in the rendered environment: host
   * names of Services and databases become the loopback addresses of what stands in for them, and
   * volume mount paths become directories of this test.
   */
  private Map<String, String> replacements() throws IOException {
    Map<String, String> replace = new LinkedHashMap<>();
    for (String service : RenderedChart.SERVICES) {
      replace.put(RenderedChart.name(service) + ":", podAddress.get(service) + ":");
    }
    String primary = hostPort(pipeline.primary());
    replace.put("pipeline-db.data.svc:5432", primary);
    replace.put("pipeline-db-0.pipeline-db.data.svc:5432", primary);
    replace.put("pipeline-db-1.pipeline-db.data.svc:5432", hostPort(pipeline.standbys().get(0)));
    replace.put("scratch-db.data.svc:5432", primary);
    replace.put("https://s3.eu-central-1.amazonaws.com", s3.endpoint().toString());
    // Volume mounts: the JWT key's Secret volume and backup-service's scratch claim.
    Path jwt = Files.createDirectories(volumes.resolve("jwt"));
    Files.copy(TestJwt.publicKeyPem(), jwt.resolve("public.pem"));
    replace.put("/etc/bulwark/jwt", jwt.toString());
    replace.put(
        "/var/lib/bulwark/scratch", Files.createDirectories(volumes.resolve("scratch")).toString());
    return replace;
  }

  private static String hostPort(PostgresNode node) {
    return node.host() + ":" + node.port();
  }

  /** The Secrets of docs/deploy.md, filled with test values (passwords unused: trust auth). */
  private TestSecrets secrets() throws IOException, InterruptedException {
    String[] age = ageKeys();
    return new TestSecrets()
        .put("bulwark-database", "jdbc-url", store.primary().jdbcUrl("bulwark"))
        .put("bulwark-database", "reactive-url", store.primary().reactiveUrl("bulwark"))
        .put("bulwark-database", "username", store.primary().user())
        .put("bulwark-database", "password", "store-test-password")
        .put("bulwark-metrics-service", "spend-token", TestJwt.token(Duration.ofHours(1), "viewer"))
        .put("bulwark-pipeline-db", "monitor-password", "monitor-test-password")
        .put("bulwark-pipeline-db", "backup-password", "backup-test-password")
        .put("bulwark-pipeline-db", "failover-password", "failover-test-password")
        .put("bulwark-scratch-db", "password", "verify-test-password")
        .put("bulwark-backup-storage", "access-key-id", s3.accessKey())
        .put("bulwark-backup-storage", "secret-access-key", s3.secretKey())
        .put(
            "bulwark-backup-service",
            "failover-token",
            TestJwt.token(Duration.ofHours(1), "viewer"))
        .put("bulwark-backup-age", "recipient", age[0])
        .put("bulwark-backup-age", "identity", age[1]);
  }

  /**
   * A fresh age key pair as docs/deploy.md makes its Secret: {@code age-keygen -o key}, the
   * recipient from {@code age-keygen -y key}, the identity being the whole key file.
   */
  private String[] ageKeys() throws IOException, InterruptedException {
    Path key = volumes.resolve("bulwark-backup.key");
    assertThat(new ProcessBuilder("age-keygen", "-o", key.toString()).start().waitFor())
        .as("age-keygen -o")
        .isZero();
    Process recipient = new ProcessBuilder("age-keygen", "-y", key.toString()).start();
    String publicKey = new String(recipient.getInputStream().readAllBytes()).strip();
    assertThat(recipient.waitFor()).as("age-keygen -y").isZero();
    assertThat(publicKey).startsWith("age1");
    return new String[] {publicKey, Files.readString(key)};
  }

  @AfterAll
  void stopEverything() {
    pods.values().forEach(PodProcess::close);
    if (s3 != null) {
      s3.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (store != null) {
      store.close();
    }
  }

  static List<String> services() {
    return RenderedChart.SERVICES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("services")
  void eachServiceIsStartedLiveAndReadyOnItsProbes(String service) {
    Container container = rendered.container(service);
    PodProcess pod = pods.get(service);

    for (Probe probe :
        List.of(
            container.getStartupProbe(),
            container.getReadinessProbe(),
            container.getLivenessProbe())) {
      URI uri = probeUri(service, container, probe.getHttpGet());
      await(service + " " + uri)
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .failFast(service + " exited", () -> !pod.isRunning())
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(status(uri, null)).as(uri + "\n" + pod.log()).isEqualTo(200));
    }
    assertThat(pod.isRunning()).isTrue();
  }

  @Test
  void theMountedJwtKeyAndIssuerAdmitTheOperatorsTokensOnly() throws Exception {
    awaitReady("budget-service");
    URI budgets = URI.create("http://" + podAddress.get("budget-service") + ":8080/api/v1/budgets");

    assertThat(status(budgets, TestJwt.token("viewer"))).isEqualTo(200);
    assertThat(status(budgets, TestJwt.foreignToken("viewer"))).isEqualTo(401);
    assertThat(status(budgets, null)).isEqualTo(401);
  }

  @Test
  void metricsServiceReadsSpendFromBudgetServiceThroughTheChartsServiceName() {
    awaitReady("budget-service");
    awaitReady("metrics-service");
    URI metrics = URI.create("http://" + podAddress.get("metrics-service") + ":9000/q/metrics");

    await("bulwark_spend_up 1 on metrics-service")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(body(metrics))
                    .containsPattern("(?m)^bulwark_spend_up(\\{[^}]*\\})? 1\\.0$"));
  }

  private void awaitReady(String service) {
    eachServiceIsStartedLiveAndReadyOnItsProbes(service);
  }

  /** The probe's path on the container port its (named) port refers to, at the pod's address. */
  private URI probeUri(String service, Container container, HTTPGetAction get) {
    String portName = get.getPort().getStrVal();
    int port =
        container.getPorts().stream()
            .filter(p -> p.getName().equals(portName))
            .map(ContainerPort::getContainerPort)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container port named " + portName));
    return URI.create("http://" + podAddress.get(service) + ":" + port + get.getPath());
  }

  private int status(URI uri, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String body(URI uri) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
