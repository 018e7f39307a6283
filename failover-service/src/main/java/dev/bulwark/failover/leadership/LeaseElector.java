package dev.bulwark.failover.leadership;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Takes and renews one {@code coordination.k8s.io/v1} Lease by compare-and-swap on its
 * resourceVersion: a create that finds the Lease, or an update whose resourceVersion is stale,
 * answers 409 and this replica does not lead. Another holder's Lease counts as expired only after
 * its record stayed unchanged for its whole duration by this replica's own monotonic clock (as
 * client-go does), so skewed wall clocks cannot shorten it. A holder that could not renew within
 * {@code renewDeadline} (shorter than the duration) stops leading before anyone else may start.
 */
public final class LeaseElector {

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration renewDeadline;

  private LeaseSpec observed;
  private long observedAtNanos;
  private volatile boolean leading;
  private volatile long renewedAtNanos;

  public LeaseElector(
      KubernetesClient client,
      String namespace,
      String name,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline) {
    if (renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException(
          "renew-deadline "
              + renewDeadline
              + " must be shorter than lease-duration "
              + leaseDuration);
    }
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.renewDeadline = renewDeadline;
  }

  /** True while this replica holds the Lease and renewed it within the renew deadline. */
  public boolean leads() {
    return leading && System.nanoTime() - renewedAtNanos < renewDeadline.toNanos();
  }

  public String name() {
    return name;
  }

  /** One round: takes the Lease when free or expired, renews it when held; true when held. */
  public synchronized boolean tryAcquireOrRenew() {
    // Taken before the request: the Lease runs from no later than this instant.
    long now = System.nanoTime();
    ZonedDateTime wall = ZonedDateTime.now(ZoneOffset.UTC);
    try {
      Lease current = client.leases().inNamespace(namespace).withName(name).get();
      if (current == null) {
        client.leases().inNamespace(namespace).resource(fresh(wall)).create();
        return held(now);
      }
      LeaseSpec spec = current.getSpec();
      if (!Objects.equals(spec, observed)) {
        observed = spec;
        observedAtNanos = now;
      }
      boolean mine = identity.equals(spec.getHolderIdentity());
      if (!mine && spec.getHolderIdentity() != null && !expired(spec, now)) {
        leading = false;
        return false;
      }
      Lease next =
          new LeaseBuilder(current)
              .editSpec()
              .withHolderIdentity(identity)
              .withLeaseDurationSeconds((int) leaseDuration.toSeconds())
              .withRenewTime(wall)
              .withAcquireTime(mine ? spec.getAcquireTime() : wall)
              .withLeaseTransitions(
                  mine ? spec.getLeaseTransitions() : transitions(spec.getLeaseTransitions()) + 1)
              .endSpec()
              .build();
      // The update carries the resourceVersion read above: a write in between makes it a 409.
      client.leases().inNamespace(namespace).resource(next).update();
      return held(now);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        leading = false; // another replica won this round
        return false;
      }
      throw e; // unreachable API: leads() runs out at the renew deadline
    }
  }

  /** Gives the Lease up (holder cleared) so that another replica need not wait for expiry. */
  public synchronized void release() {
    if (!leading) {
      return;
    }
    leading = false;
    try {
      Lease current = client.leases().inNamespace(namespace).withName(name).get();
      if (current != null && identity.equals(current.getSpec().getHolderIdentity())) {
        client
            .leases()
            .inNamespace(namespace)
            .resource(
                new LeaseBuilder(current).editSpec().withHolderIdentity(null).endSpec().build())
            .update();
      }
    } catch (KubernetesClientException e) {
      // Not released: it expires after its duration.
    }
  }

  private boolean held(long now) {
    renewedAtNanos = now;
    leading = true;
    return true;
  }

  private boolean expired(LeaseSpec spec, long now) {
    long seconds =
        spec.getLeaseDurationSeconds() == null
            ? leaseDuration.toSeconds()
            : spec.getLeaseDurationSeconds();
    return now - observedAtNanos > Duration.ofSeconds(seconds).toNanos();
  }

  private Lease fresh(ZonedDateTime wall) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("app.kubernetes.io/managed-by", "failover-service")
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(identity)
        .withLeaseDurationSeconds((int) leaseDuration.toSeconds())
        .withAcquireTime(wall)
        .withRenewTime(wall)
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  private static int transitions(Integer value) {
    return value == null ? 0 : value;
  }
}
