package dev.bulwark.failover.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The failover groups failover-service watches ({@code bulwark.failover.groups.<group>.*}). */
@ConfigMapping(prefix = "bulwark.failover")
public interface FailoverConfig {

  /** The groups by name; none configured means the service watches nothing. */
  Map<String, Group> groups();

  /** The scheduled drill ({@code bulwark.failover.drills.*}), off by default. */
  Drills drills();

  /** A drill of every postgres group on a schedule, as an operator's POST would start it. */
  interface Drills {
    /** Quartz cron in UTC (e.g. {@code 0 0 10 ? * MON#1}, the first Monday 10:00); off: never. */
    @WithDefault("off")
    String schedule();

    /** {@code switchover} or {@code primary-loss}. */
    @WithDefault("switchover")
    String kind();
  }

  /**
   * Which replica acts: {@code store} (every replica, arbitrated by the epoch's compare-and-swap in
   * the store), {@code kubernetes} (the holder of a Lease per group, and the epoch CAS), or {@code
   * auto}: kubernetes when running in a pod.
   */
  @WithDefault("auto")
  LeadershipMode leadership();

  /** The Lease and the pod labels, in Kubernetes. */
  Kubernetes kubernetes();

  /** How a replica finds out whether it may act. */
  enum LeadershipMode {
    AUTO,
    STORE,
    KUBERNETES
  }

  /** Leadership Leases ({@code bulwark-failover-<group>}) and pod role labels. */
  interface Kubernetes {
    /** The API server (default: the pod's service account, else the kubeconfig). */
    Optional<String> masterUrl();

    /** Namespace of the Leases (default: the pod's own, from its service account). */
    Optional<String> namespace();

    /** Holder identity in the Lease (default: the pod name, env HOSTNAME). */
    Optional<String> identity();

    /** How long a Lease holds without renewal before another replica may take it. */
    @WithDefault("10s")
    Duration leaseDuration();

    /** A holder that could not renew within this stops acting; shorter than the duration. */
    @WithDefault("7s")
    Duration renewDeadline();

    /** How often a replica tries to take or renew its Lease. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** One group: a primary and its standbys, and how they are checked and failed over. */
  interface Group {

    /** How members are checked: {@code postgres}, {@code http} or {@code tcp}. */
    Kind kind();

    /** Check period; sub-second periods work (100ms). */
    @WithDefault("1s")
    Duration period();

    /** Bound of one check (connect and query). */
    @WithDefault("1s")
    Duration timeout();

    /** Consecutive failed checks of the primary before a failover. */
    @WithDefault("2")
    int failureThreshold();

    /** Consecutive successful checks before a member counts as up again. */
    @WithDefault("1")
    int successThreshold();

    /** A standby lagging more than this many bytes of WAL is never promoted. */
    @WithDefault("1048576")
    long maximumLagOnFailover();

    /** No automatic failover within this time after one, so that a group cannot flap. */
    @WithDefault("5m")
    Duration cooldown();

    /** How long pg_promote waits for the standby to leave recovery. */
    @WithDefault("60s")
    Duration promoteTimeout();

    /** User of postgres checks; its password from {@code BULWARK_FAILOVER_GROUPS_<G>_PASSWORD}. */
    @WithDefault("postgres")
    String username();

    Optional<String> password();

    /** The first primary of an http or tcp group (default: the first member by name). */
    Optional<String> initialPrimary();

    Map<String, Member> members();
  }

  /** One member of a group. */
  interface Member {
    /** {@code postgresql://host:port/db}, {@code http(s)://...} or {@code tcp://host:port}. */
    String url();

    /** The member's pod, labelled {@code bulwark.dev/role=primary|standby|fenced} (Kubernetes). */
    Optional<String> pod();

    /** The pod's namespace (default: the Leases' namespace). */
    Optional<String> namespace();
  }

  /** How a group's members are checked and promoted. */
  enum Kind {
    POSTGRES,
    HTTP,
    TCP
  }
}
