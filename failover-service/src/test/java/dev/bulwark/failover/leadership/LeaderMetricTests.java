package dev.bulwark.failover.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.failover.exported.GroupMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bulwark_failover_leader{group}} of two replicas contending for one group's Lease
 * (fabric8's mock API server in CRUD mode): 1 on the holder only, and it moves with the Lease.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderMetricTests {

  static KubernetesClient client;

  private static LeaseLeadership replica(String identity) {
    LeaseElector elector =
        new LeaseElector(
            client,
            "ops",
            LeaseLeadership.leaseName("orders"),
            identity,
            Duration.ofSeconds(2),
            Duration.ofMillis(1500));
    return new LeaseLeadership(Map.of("orders", elector), Duration.ofMillis(100), new OutageLog());
  }

  private static double leader(MeterRegistry registry) {
    return registry.get("bulwark.failover.leader").tag("group", "orders").gauge().value();
  }

  @Test
  void isOneOnTheLeaseHolderOnlyAndFollowsTheLease() {
    LeaseLeadership a = replica("pod-a");
    LeaseLeadership b = replica("pod-b");
    try {
      MeterRegistry metricsA = new SimpleMeterRegistry();
      MeterRegistry metricsB = new SimpleMeterRegistry();
      new GroupMetrics(metricsA, "orders", 1024, () -> a.leads("orders"));
      new GroupMetrics(metricsB, "orders", 1024, () -> b.leads("orders"));

      // given: one of the two took the Lease
      await().atMost(Duration.ofSeconds(10)).until(() -> leader(metricsA) + leader(metricsB) == 1);
      boolean aLeads = leader(metricsA) == 1;
      LeaseLeadership holder = aLeads ? a : b;
      MeterRegistry holderMetrics = aLeads ? metricsA : metricsB;
      MeterRegistry otherMetrics = aLeads ? metricsB : metricsA;
      assertThat(leader(otherMetrics)).isZero();

      // when: the holder stops (and gives the Lease up)
      holder.close();

      // then: the other replica leads, the old holder reports 0
      await().atMost(Duration.ofSeconds(10)).until(() -> leader(otherMetrics) == 1);
      assertThat(leader(holderMetrics)).isZero();
    } finally {
      a.close();
      b.close();
    }
  }
}
