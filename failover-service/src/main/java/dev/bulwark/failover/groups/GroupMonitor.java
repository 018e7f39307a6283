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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Watches one group: every period it starts a check of each member (each bounded by the timeout)
 * and a read of the group's decisive state from the own store, and acts on each result the moment
 * it arrives, on the group's one thread (so one decision at a time): it fences a stray primary,
 * finishes a stored failover, or starts one once the primary failed {@code failure-threshold}
 * checks in a row, without waiting for the other members' checks of that period. Runs on a
 * scheduler of its own, because Quarkus's {@code @Scheduled} takes one period per method and groups
 * have their own (sub-second) periods. Without its store it takes no decision: it keeps checking
 * and reports.
 */
public final class GroupMonitor {

  /** What a check that outlasted the timeout completes with; told apart by identity. */
  private static final CheckResult TIMED_OUT = CheckResult.down("timed out", Duration.ZERO);

  private final String group;
  private final FailoverConfig.Group config;
  private final Map<String, MemberTrack> tracks = new TreeMap<>();
  private final GroupStore store;
  private final Clock clock;
  private final GroupMetrics metrics;
  private final Freshness storeFreshness;
  private final OutageLog outages;
  private final Decisions decisions;
  private final Leadership leadership;
  private final RoleLabels labels;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService checkers;
  private final Watched<GroupStatus> status;

  /** Members a drill makes fail their checks (a simulated loss); see {@link #simulateLoss}. */
  private final Set<String> simulatedLosses = ConcurrentHashMap.newKeySet();

  // Below: touched on the scheduler's thread only.
  private Optional<GroupState> state = Optional.empty();

  /** One more whenever the monitor holds a state it stored, so that an older read is dropped. */
  private long stateVersion;

  private boolean reading;
  private boolean storeUp;

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
    this.clock = clock;
    this.metrics = metrics;
    this.storeFreshness = storeFreshness;
    this.outages = outages;
    config
        .members()
        .forEach((name, member) -> tracks.put(name, new MemberTrack(name, check(member))));
    this.decisions = new Decisions(group, config, tracks, store, events, metrics, outages, clock);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("bulwark-failover-" + group));
    this.checkers =
        Executors.newFixedThreadPool(
            Math.max(1, tracks.size()), daemon("bulwark-failover-check-" + group));
    this.status = new Watched<>(snapshot());
  }

  void start() {
    scheduler.scheduleAtFixedRate(
        () -> safely(this::tick), 0, config.period().toNanos(), TimeUnit.NANOSECONDS);
  }

  void stop() {
    scheduler.shutdownNow();
    checkers.shutdownNow();
    tracks.values().forEach(t -> t.check.close());
  }

  public String group() {
    return group;
  }

  public FailoverConfig.Group config() {
    return config;
  }

  /** The status after the last check result; never blocks. */
  public GroupStatus status() {
    return status.get();
  }

  /**
   * Waits until {@code condition} holds on the group's status, tested now and after every check
   * result and decision; fails naming {@code what} after {@code bound}.
   */
  public GroupStatus awaitStatus(String what, Duration bound, Predicate<GroupStatus> condition)
      throws InterruptedException {
    return status.await(what, bound, condition);
  }

  /** When the promotion of {@code epoch} returned on this replica, if it did. */
  public Optional<Instant> promotedAt(long epoch) {
    return decisions.lastPromotion().filter(p -> p.epoch() == epoch).map(Decisions.Promotion::at);
  }

  /**
   * Makes {@code member}'s checks fail (or stop failing) from the next result on, without touching
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
    onScheduler(() -> hold(stored));
  }

  /** Starts the period's checks and read of the store; their results arrive on this thread. */
  private void tick() {
    Instant startedAt = clock.instant();
    for (MemberTrack track : tracks.values()) {
      // A member whose last result is still out gets no second one: one result per check.
      if (!track.awaitingResult) {
        startCheck(track, startedAt);
      }
    }
    if (!reading) {
      readState();
    }
  }

  private void startCheck(MemberTrack track, Instant startedAt) {
    if (track.running == null || track.running.isDone()) {
      track.running = CompletableFuture.supplyAsync(track.check::check, checkers);
    }
    track.awaitingResult = true;
    CompletableFuture<CheckResult> running = track.running;
    running
        .copy()
        .completeOnTimeout(TIMED_OUT, config.timeout().toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete(
            (result, failure) ->
                onScheduler(() -> checked(track, outcome(track, result, failure), startedAt)));
  }

  private CheckResult outcome(MemberTrack track, CheckResult result, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      return CheckResult.down(String.valueOf(cause), Duration.ZERO);
    }
    if (result == TIMED_OUT) {
      track.check.abort(); // so that the hung check returns and the next one reconnects
      return CheckResult.down(
          "no answer within " + config.timeout().toMillis() + " ms", config.timeout());
    }
    return result;
  }

  /** One member's result: recorded, shown, and acted on at once. */
  private void checked(MemberTrack track, CheckResult result, Instant startedAt) {
    track.awaitingResult = false;
    if (simulatedLosses.contains(track.name)) {
      result = CheckResult.down("simulated loss (a primary-loss drill)", Duration.ZERO);
    }
    track.record(result, startedAt);
    act(Optional.of(track));
  }

  /**
   * Publishes the status, then (on the leader, with the store's state) takes the decisions due. The
   * status goes out first: a promotion waits for pg_promote, and the failed checks that led to it
   * must be visible at once.
   */
  private void act(Optional<MemberTrack> checked) {
    publish();
    // Only the leader acts (everywhere, if leadership is the store's CAS alone); others report.
    if (!storeUp || state.isEmpty() || !leadership.leads(group)) {
      return;
    }
    GroupState before = state.get();
    GroupState after = decisions.act(before, checked, clock.instant());
    if (after != before) {
      hold(after);
    } else {
      publish();
    }
    label(status.get());
  }

  private void hold(GroupState stored) {
    state = Optional.of(stored);
    stateVersion++;
    publish();
  }

  private void publish() {
    GroupStatus current = snapshot();
    status.set(current);
    metrics.publish(current);
  }

  /** Reads the stored state without blocking this thread; the result arrives on it. */
  private void readState() {
    reading = true;
    long version = stateVersion;
    storeFreshness
        .track(store.find(group))
        .ifNoItem()
        .after(config.timeout().plusSeconds(5))
        .fail()
        .subscribe()
        .with(
            read -> onScheduler(() -> stateRead(read, version)),
            failure -> onScheduler(() -> storeFailed(failure)));
  }

  private void stateRead(Optional<GroupState> read, long version) {
    reading = false;
    try {
      if (read.isEmpty() && version == stateVersion) {
        Optional<String> first = firstPrimary();
        if (first.isPresent()) {
          Optional<Long> timeline =
              tracks.get(first.get()).liveFacts().flatMap(PostgresFacts::timeline);
          read = await(store.initialize(group, first.get(), timeline, clock.instant()));
        }
      }
    } catch (RuntimeException e) {
      storeFailed(e);
      return;
    }
    storeUp = true;
    outages.succeeded(storeSource());
    if (version != stateVersion) {
      return; // the monitor stored a newer state while this read was out
    }
    state = read;
    act(Optional.empty());
  }

  private void storeFailed(Throwable failure) {
    reading = false;
    storeUp = false;
    if (!scheduler.isShutdown()) {
      outages.failed(storeSource(), failure);
    }
    publish();
  }

  /** Runs {@code work} on this group's thread; dropped once the monitor stopped. */
  private void onScheduler(Runnable work) {
    try {
      scheduler.execute(() -> safely(work));
    } catch (RejectedExecutionException e) {
      // stopped: a result that arrives after the monitor stopped has nobody to act on it
    }
  }

  private void safely(Runnable work) {
    try {
      work.run();
      outages.succeeded(source());
    } catch (RuntimeException e) {
      if (scheduler.isShutdown()) {
        return; // stopping: a check or a read cut short is no outage
      }
      // A tick that throws would end the schedule for good; log once per outage, go on.
      outages.failed(source(), e);
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

  /** Waits for a store call, bounded by the group's timeout plus 5 s. */
  public <T> T await(Uni<T> uni) {
    return uni.await().atMost(config.timeout().plusSeconds(5));
  }

  private String source() {
    return "failover group " + group;
  }

  /** One source for every group: they read the same store, so its outage is one in the log. */
  private static String storeSource() {
    return "failover store";
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
              role == Role.STANDBY && config.kind() == Kind.POSTGRES
                  ? ReplicationLag.of(track, tracks.values())
                  : Optional.empty(),
              track.lastCheckAt,
              track.lastError,
              track.failingSince,
              track.lastFacts.flatMap(PostgresFacts::replayLsn),
              track.lastFacts.flatMap(PostgresFacts::timeline)));
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

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
