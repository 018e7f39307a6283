package dev.bulwark.failover.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Lease leadership against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class LeaseElectorTests {

  static KubernetesClient client;

  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

  @AfterAll
  static void stopThePool() {
    POOL.shutdownNow();
  }

  private static LeaseElector elector(String lease, String identity) {
    return new LeaseElector(
        client, "ops", lease, identity, Duration.ofSeconds(2), Duration.ofMillis(1500));
  }

  private static String holder(String lease) {
    return client.leases().inNamespace("ops").withName(lease).get().getSpec().getHolderIdentity();
  }

  @Test
  void ofTwoContendersRacingForOneLeaseExactlyOneHoldsIt() throws Exception {
    for (int round = 0; round < 20; round++) {
      String lease = "race-" + round;
      LeaseElector a = elector(lease, "pod-a");
      LeaseElector b = elector(lease, "pod-b");
      CyclicBarrier start = new CyclicBarrier(2);
      Future<Boolean> wonA = POOL.submit(atOnce(start, a::tryAcquireOrRenew));
      Future<Boolean> wonB = POOL.submit(atOnce(start, b::tryAcquireOrRenew));

      assertThat(List.of(wonA.get(), wonB.get())).as("round " + round).containsOnlyOnce(true);
      String winner = wonA.get() ? "pod-a" : "pod-b";
      assertThat(holder(lease)).isEqualTo(winner);
      assertThat(a.leads()).isEqualTo(wonA.get());
      assertThat(b.leads()).isEqualTo(wonB.get());
      // The loser keeps losing while the holder renews.
      (wonA.get() ? a : b).tryAcquireOrRenew();
      assertThat((wonA.get() ? b : a).tryAcquireOrRenew()).isFalse();
    }
  }

  @Test
  void anUpdateWithAStaleResourceVersionIsAConflict() {
    LeaseElector a = elector("cas", "pod-a");
    assertThat(a.tryAcquireOrRenew()).isTrue();
    Lease stale = client.leases().inNamespace("ops").withName("cas").get();
    assertThat(a.tryAcquireOrRenew()).as("renewal changes the resourceVersion").isTrue();

    Lease steal = new LeaseBuilder(stale).editSpec().withHolderIdentity("pod-b").endSpec().build();
    assertThatThrownBy(() -> client.leases().inNamespace("ops").resource(steal).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(holder("cas")).isEqualTo("pod-a");
  }

  @Test
  void whenTheHolderStopsRenewingItStopsLeadingFirstAndTheOtherTakesOverAfterExpiry() {
    LeaseElector a = elector("expiry", "pod-a");
    LeaseElector b = elector("expiry", "pod-b");
    long lastRenewal = System.nanoTime(); // a renews once, then no more
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(b.tryAcquireOrRenew()).isFalse();

    List<Long> takenAfterMillis = new ArrayList<>();
    await("pod-b takes the expired Lease")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              boolean aLeads = a.leads();
              if (b.tryAcquireOrRenew()) {
                assertThat(aLeads).as("pod-a stopped acting before the Lease expired").isFalse();
                takenAfterMillis.add((System.nanoTime() - lastRenewal) / 1_000_000);
                return true;
              }
              return false;
            });

    assertThat(takenAfterMillis.get(0))
        .as("not before the 2 s lease duration")
        .isGreaterThanOrEqualTo(2000);
    assertThat(holder("expiry")).isEqualTo("pod-b");
    assertThat(b.leads()).isTrue();
    assertThat(a.leads()).isFalse();
    assertThat(a.tryAcquireOrRenew()).as("the old holder finds it taken").isFalse();
    assertThat(
            client
                .leases()
                .inNamespace("ops")
                .withName("expiry")
                .get()
                .getSpec()
                .getLeaseTransitions())
        .isEqualTo(1);
  }

  @Test
  void aReleasedLeaseIsTakenAtOnce() {
    LeaseElector a = elector("release", "pod-a");
    LeaseElector b = elector("release", "pod-b");
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(b.tryAcquireOrRenew()).isFalse();

    a.release();

    assertThat(a.leads()).isFalse();
    assertThat(b.tryAcquireOrRenew()).isTrue();
    assertThat(holder("release")).isEqualTo("pod-b");
  }

  @Test
  void aRenewDeadlineNotShorterThanTheLeaseIsRefused() {
    assertThatThrownBy(
            () ->
                new LeaseElector(
                    client, "ops", "x", "pod-a", Duration.ofSeconds(2), Duration.ofSeconds(2)))
        .hasMessageContaining("must be shorter than lease-duration");
  }

  private static Callable<Boolean> atOnce(CyclicBarrier start, Callable<Boolean> work) {
    return () -> {
      start.await();
      return work.call();
    };
  }
}
