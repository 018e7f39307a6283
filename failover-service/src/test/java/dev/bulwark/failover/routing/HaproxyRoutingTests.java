package dev.bulwark.failover.routing;

import static dev.bulwark.failover.FailoverApi.awaitGroup;
import static dev.bulwark.failover.FailoverApi.awaitPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.failover.InjectKubernetes;
import dev.bulwark.failover.InjectPipeline;
import dev.bulwark.failover.KubernetesApi;
import dev.bulwark.failover.PipelinePairs.Pipeline;
import dev.bulwark.failover.leadership.PodRoleLabels;
import dev.bulwark.testing.PostgresNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Debian's HAProxy with the runbook's configuration routes writes by the Patroni-style probes:
 * through one frontend port to node1, and after node1 is killed -9 to node2.
 */
@QuarkusTest
class HaproxyRoutingTests {

  @InjectPipeline Pipeline pipeline;

  @InjectKubernetes KubernetesClient kubernetes;

  @TestHTTPResource("/")
  URL service;

  @Test
  void writesThroughOneHaproxyPortFollowThePrimaryThroughAFailover() throws Exception {
    PostgresNode node1 = pipeline.member("haproxy", "node1");
    PostgresNode node2 = pipeline.member("haproxy", "node2");
    awaitPair("haproxy");
    awaitRoleLabels("primary", "standby");
    assertThat(
            kubernetes
                .leases()
                .inNamespace(KubernetesApi.NAMESPACE)
                .withName("bulwark-failover-haproxy")
                .get()
                .getSpec()
                .getHolderIdentity())
        .as("the engine acts as the holder of the group's Lease")
        .isEqualTo(KubernetesApi.IDENTITY);
    Map<String, Integer> members =
        new TreeMap<>(Map.of("node1", node1.port(), "node2", node2.port()));

    long pid;
    try (HaproxyProcess haproxy = HaproxyProcess.start("haproxy", members, service.getPort())) {
      pid = haproxy.pid();
      int before =
          await("a write through HAProxy lands on node1")
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> write(haproxy, 1, node1.user()), port -> port == node1.port());
      assertThat(before).isEqualTo(node1.port());
      await("node2 replays the write")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> "1".equals(node2.queryValue("SELECT count(*) FROM routed")));

      long crashed = System.nanoTime();
      node1.crash();

      int after =
          await("a write through the same HAProxy port lands on node2")
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(() -> write(haproxy, 2, node1.user()), port -> port == node2.port());
      assertThat(after).isEqualTo(node2.port());
      // The figure the runbook quotes: from kill -9 to the first write on the new primary.
      System.out.printf(
          "haproxy-routing crash-to-write-on-new-primary-ms=%d%n",
          (System.nanoTime() - crashed) / 1_000_000);
      assertThat(node2.isInRecovery()).isFalse();
      assertThat(node2.queryValue("SELECT string_agg(id::text, ',' ORDER BY id) FROM routed"))
          .isEqualTo("1,2");
      awaitRoleLabels("fenced", "primary");
      assertThat(haproxy.isAlive()).as(haproxy.log()).isTrue();
      assertThat(haproxy.log())
          .contains("Server haproxy_primary/node1 is DOWN")
          .contains("Server haproxy_primary/node2 is UP");
      assertThat(
              awaitGroup("haproxy", "node2 primary", v -> "node2".equals(v.getString("primary")))
                  .getLong("epoch"))
          .isEqualTo(1);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("haproxy stopped by its pid")
        .isFalse();
  }

  /** Waits until pods haproxy-node1 and haproxy-node2 carry these role labels. */
  private void awaitRoleLabels(String node1, String node2) {
    await("pod role labels node1=" + node1 + ", node2=" + node2)
        .atMost(Duration.ofSeconds(30))
        .until(() -> node1.equals(roleLabel("node1")) && node2.equals(roleLabel("node2")));
  }

  private String roleLabel(String member) {
    return kubernetes
        .pods()
        .inNamespace(KubernetesApi.NAMESPACE)
        .withName("haproxy-" + member)
        .get()
        .getMetadata()
        .getLabels()
        .get(PodRoleLabels.LABEL);
  }

  /** Writes row {@code id} through HAProxy; returns the port of the server that took it. */
  private static int write(HaproxyProcess haproxy, int id, String user) throws SQLException {
    String url =
        "jdbc:postgresql://127.0.0.1:"
            + haproxy.port()
            + "/postgres?connectTimeout=2&socketTimeout=5";
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS routed (id int PRIMARY KEY)");
      statement.execute("INSERT INTO routed VALUES (" + id + ") ON CONFLICT DO NOTHING");
      try (ResultSet port = statement.executeQuery("SELECT inet_server_port()")) {
        port.next();
        return port.getInt(1);
      }
    }
  }
}
