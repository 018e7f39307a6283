package dev.bulwark.failover.groups;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.failover.checks.CheckResult;
import dev.bulwark.failover.checks.HttpCheck;
import dev.bulwark.failover.checks.MemberCheck;
import dev.bulwark.failover.checks.PostgresCheck;
import dev.bulwark.failover.checks.PostgresFacts;
import dev.bulwark.failover.checks.TcpCheck;
import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.config.FailoverConfig.Kind;
import dev.bulwark.failover.exported.GroupMetrics;
import dev.bulwark.failover.leadership.Leadership;
import dev.bulwark.failover.leadership.RoleLabels;
import dev.bulwark.failover.store.EventStore;
import dev.bulwark.failover.store.GroupStore;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches one group: every period it checks all members at once (each bounded by the timeout),
 * reads the group's decisive state from the own store and acts on it: fences a stray primary,
 * finishes a stored failover, or starts one after {@code failure-threshold} failed checks of the
 * primary. Runs on a scheduler of its own, because Quarkus's {@code @Scheduled} takes one period
 * per method and groups have their own (sub-second) periods. Without its store it takes no
 * decision: it keeps checking and reports.
 */
public final class GroupMonitor {

  private final String group;
  private final FailoverConfig.Group config;
  private final Map<String, MemberTrack> tracks = new TreeMap<>();
  private final GroupStore store;
  private final EventStore events;
  private final Clock clock;
  private final GroupMetrics metrics;
  private final Freshness storeFreshness;
  private final OutageLog outages;
  private final Decisions decisions;
  private final Leadership leadership;
  private final RoleLabels labels;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService checkers;

  /** Members a drill makes fail their checks (a simulated loss); see {@link #simulateLoss}. */
  private final java.util.Set<String> simulatedLosses =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Optional<GroupState> state = Optional.empty();
  private boolean storeUp;
  private volatile GroupStatus status;

  GroupMonitor(
      String group,
      FailoverConfig.Group config,
      GroupStore store,
      EventStore events,
      Clock clock,
      GroupMetrics metrics,
      Freshness storeFreshness,
      OutageLog outages,
      Leadership leadership,
      RoleLabels labels) {
    this.group = group;
    this.leadership = leadership;
    this.labels = labels;
    this.config = config;
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.metrics = metrics;
    this.storeFreshness = storeFreshness;
    this.outages = outages;
    config
        .members()
        .forEach((name, member) -> tracks.put(name, new MemberTrack(name, check(member))));
    this.decisions = new Decisions(this);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("bulwark-failover-" + group));
    this.checkers =
        Executors.newFixedThreadPool(
            Math.max(1, tracks.size()), daemon("bulwark-failover-check-" + group));
    this.status = snapshot();
  }

  void start() {
    scheduler.scheduleAtFixedRate(
        this::tickSafely, 0, config.period().toNanos(), TimeUnit.NANOSECONDS);
  }

  void stop() {
    scheduler.shutdownNow();
    checkers.shutdownNow();
    tracks.values().forEach(t -> t.check.close());
  }

  Instant now() {
    return clock.instant();
  }

  public String group() {
    return group;
  }

  public FailoverConfig.Group config() {
    return config;
  }

  /** The status after the last check; never blocks. */
  public GroupStatus status() {
    return status;
  }

  /**
   * Makes {@code member}'s checks fail (or stop failing) from the next tick on, without touching
   * the member: a drill's simulated loss goes through exactly the automatic path from detection on.
   */
  public void simulateLoss(String member, boolean lost) {
    if (lost) {
      simulatedLosses.add(member);
    } else {
      simulatedLosses.remove(member);
    }
  }

  /** Takes a state that a use case just stored (a pause), so the view shows it at once. */
  void stateStored(GroupState stored) {
    scheduler.execute(
        () -> {
          state = Optional.of(stored);
          status = snapshot();
        });
  }

  private void tickSafely() {
    try {
      tick();
      outages.succeeded(source());
    } catch (RuntimeException e) {
      if (scheduler.isShutdown()) {
        return; // stopping: a check or a read cut short is no outage
      }
      // A tick that throws would end the schedule for good; log once per outage, go on.
      outages.failed(source(), e);
    }
  }

  private void tick() {
    Instant now = clock.instant();
    runChecks().forEach((name, result) -> tracks.get(name).record(result, now));
    // Published before the decisions too: a promotion in this tick waits for pg_promote (seconds
    // on a loaded machine), and the failed checks that led to it must be visible at once.
    status = snapshot();
    metrics.publish(status);
    readState(now);
    // Only the leader acts (everywhere, if leadership is the store's CAS alone); others report.
    boolean acting = storeUp && state.isPresent() && leadership.leads(group);
    if (acting) {
      decisions.act(state.get(), now);
    }
    status = snapshot();
    metrics.publish(status);
    if (acting) {
      label(status);
    }
  }

  /** Role labels of the members whose role is known, from the leader only, so they never flap. */
  private void label(GroupStatus current) {
    Map<String, String> roles = new TreeMap<>();
    current.members().stream()
        .filter(m -> m.role() != Role.UNKNOWN)
        .forEach(m -> roles.put(m.name(), m.role().wire()));
    String source = source() + " role labels";
    try {
      labels.publish(group, roles);
      outages.succeeded(source);
    } catch (RuntimeException e) {
      outages.failed(source, e);
    }
  }

  /** Checks every member at once; a check that outlasts the timeout is aborted and failed. */
  private Map<String, CheckResult> runChecks() {
    for (MemberTrack track : tracks.values()) {
      if (track.running == null || track.running.isDone()) {
        track.running = checkers.submit(track.check::check);
      }
    }
    long deadline = System.nanoTime() + config.timeout().toNanos();
    Map<String, CheckResult> results = new TreeMap<>();
    for (MemberTrack track : tracks.values()) {
      CheckResult result;
      try {
        result = track.running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        track.check.abort();
        result =
            CheckResult.down(
                "no answer within " + config.timeout().toMillis() + " ms", config.timeout());
      } catch (ExecutionException e) {
        result = CheckResult.down(String.valueOf(e.getCause()), Duration.ZERO);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (simulatedLosses.contains(track.name)) {
        result = CheckResult.down("simulated loss (a primary-loss drill)", Duration.ZERO);
      }
      results.put(track.name, result);
    }
    return results;
  }

  /** Reads the stored state; stores the first primary when there is none yet. */
  private void readState(Instant now) {
    try {
      Optional<GroupState> read = await(storeFreshness.track(store.find(group)));
      if (read.isEmpty()) {
        Optional<String> first = firstPrimary();
        if (first.isPresent()) {
          read = await(store.initialize(group, first.get(), now));
        }
      }
      state = read;
      storeUp = true;
      outages.succeeded(storeSource());
    } catch (RuntimeException e) {
      storeUp = false;
      if (!scheduler.isShutdown()) {
        outages.failed(storeSource(), e);
      }
    }
  }

  /** The postgres member that answers and is not in recovery; http/tcp: configured or first. */
  private Optional<String> firstPrimary() {
    if (config.kind() != Kind.POSTGRES) {
      return config.initialPrimary().or(() -> tracks.keySet().stream().findFirst());
    }
    List<String> primaries =
        tracks.values().stream()
            .filter(t -> t.liveFacts().map(f -> !f.inRecovery()).orElse(false))
            .map(t -> t.name)
            .toList();
    // Two members out of recovery and no stored epoch: which one is right is for a person.
    return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
  }

  public <T> T await(Uni<T> uni) {
    return uni.await().atMost(config.timeout().plusSeconds(5));
  }

  Map<String, MemberTrack> tracks() {
    return tracks;
  }

  GroupStore store() {
    return store;
  }

  EventStore events() {
    return events;
  }

  GroupMetrics metrics() {
    return metrics;
  }

  OutageLog outages() {
    return outages;
  }

  String source() {
    return "failover group " + group;
  }

  /** One source for every group: they read the same store, so its outage is one in the log. */
  private static String storeSource() {
    return "failover store";
  }

  /** Bytes of WAL {@code member} lags behind the furthest position known of the group. */
  Optional<Long> lag(MemberTrack member) {
    Optional<Long> replayed = member.liveFacts().flatMap(PostgresFacts::replayLsn);
    if (replayed.isEmpty() || config.kind() != Kind.POSTGRES) {
      return Optional.empty();
    }
    // The primary's last known position (also after it died), else the furthest a standby got.
    long reference =
        tracks.values().stream()
            .flatMap(t -> t.lastFacts.stream())
            .mapToLong(PostgresFacts::furthestLsn)
            .max()
            .orElse(0);
    return Optional.of(Math.max(0, reference - replayed.get()));
  }

  private GroupStatus snapshot() {
    List<MemberStatus> members = new ArrayList<>();
    String designated = state.map(GroupState::designated).orElse("");
    for (MemberTrack track : tracks.values()) {
      Role role = role(track, designated);
      members.add(
          new MemberStatus(
              track.name,
              role,
              track.up(config.successThreshold()),
              track.lastFacts.map(PostgresFacts::inRecovery).orElse(false),
              track.consecutiveFailures,
              role == Role.STANDBY ? lag(track) : Optional.empty(),
              track.lastCheckAt,
              track.lastError,
              track.failingSince));
    }
    return new GroupStatus(
        group,
        config.kind(),
        state.map(GroupState::primary),
        state.map(GroupState::epoch).orElse(0L),
        state.map(GroupState::paused).orElse(false),
        health(),
        state.flatMap(GroupState::lastFailoverAt),
        members);
  }

  private Role role(MemberTrack track, String designated) {
    if (state.isEmpty()) {
      return Role.UNKNOWN;
    }
    if (config.kind() != Kind.POSTGRES) {
      return track.name.equals(designated) ? Role.PRIMARY : Role.STANDBY;
    }
    if (track.lastFacts.isEmpty()) {
      return track.name.equals(designated) ? Role.PRIMARY : Role.UNKNOWN;
    }
    boolean inRecovery = track.lastFacts.get().inRecovery();
    if (track.name.equals(designated)) {
      return inRecovery && state.get().intent().isPresent() ? Role.STANDBY : Role.PRIMARY;
    }
    // Out of recovery outside the epoch: a former primary (or a split brain) that never serves.
    return inRecovery ? Role.STANDBY : Role.FENCED;
  }

  private GroupHealth health() {
    if (state.isEmpty()) {
      return GroupHealth.FAILING;
    }
    GroupState current = state.get();
    if (current.intent().isPresent()) {
      return GroupHealth.FAILING_OVER;
    }
    if (current.paused()) {
      return GroupHealth.PAUSED;
    }
    if (decisions.refusing()) {
      return GroupHealth.NO_QUALIFIED_STANDBY;
    }
    MemberTrack primary = tracks.get(current.primary());
    return primary != null && primary.consecutiveFailures > 0
        ? GroupHealth.FAILING
        : GroupHealth.HEALTHY;
  }

  private MemberCheck check(FailoverConfig.Member member) {
    return switch (config.kind()) {
      case POSTGRES ->
          new PostgresCheck(member.url(), config.username(), config.password(), config.timeout());
      case HTTP -> new HttpCheck(URI.create(member.url()), config.timeout());
      case TCP -> new TcpCheck(URI.create(member.url()), config.timeout());
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
