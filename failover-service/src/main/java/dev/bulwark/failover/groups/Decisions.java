package dev.bulwark.failover.groups;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.failover.checks.PostgresCheck;
import dev.bulwark.failover.checks.PostgresFacts;
import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.config.FailoverConfig.Kind;
import dev.bulwark.failover.exported.GroupMetrics;
import dev.bulwark.failover.store.EventStore;
import dev.bulwark.failover.store.GroupStore;
import io.smallrye.mutiny.Uni;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * The decisions of one group, each taken on the state its monitor holds: fence a member whose check
 * shows it out of recovery though it is not the epoch's primary, unless it was promoted by hand
 * after that primary (a higher timeline, see {@link Adoption}), which is adopted instead; finish a
 * stored failover with its candidate (never another); start a failover after {@code
 * failure-threshold} failed checks of the primary, to the healthy standby with the least lag, by
 * compare-and-swap on the epoch. Called by one thread at a time (the monitor's); it returns the
 * state it stored, so that the monitor need not wait for its next read of the store to show a
 * promotion.
 */
final class Decisions {

  /** When a promotion (of an epoch) returned, for a drill's report. */
  record Promotion(long epoch, Instant at) {}

  private final String group;
  private final FailoverConfig.Group config;
  private final Map<String, MemberTrack> tracks;
  private final GroupStore store;
  private final EventStore events;
  private final GroupMetrics metrics;
  private final OutageLog outages;
  private final Clock clock;

  /** The refusal recorded for the primary's current outage, so that it is recorded once. */
  private Optional<EventKind> refusal = Optional.empty();

  /** The epoch whose failed promotion was recorded, so that retries do not repeat the event. */
  private long failedEpoch = -1;

  private volatile Optional<Promotion> lastPromotion = Optional.empty();

  Decisions(
      String group,
      FailoverConfig.Group config,
      Map<String, MemberTrack> tracks,
      GroupStore store,
      EventStore events,
      GroupMetrics metrics,
      OutageLog outages,
      Clock clock) {
    this.group = group;
    this.config = config;
    this.tracks = tracks;
    this.store = store;
    this.events = events;
    this.metrics = metrics;
    this.outages = outages;
    this.clock = clock;
  }

  boolean refusing() {
    return refusal.isPresent();
  }

  Optional<Promotion> lastPromotion() {
    return lastPromotion;
  }

  /**
   * Acts on {@code state} after {@code checked}'s result arrived (empty: after a read of the store)
   * and returns the state to hold from now on ({@code state} itself when nothing was stored).
   */
  GroupState act(GroupState state, Optional<MemberTrack> checked, Instant now) {
    if (config.kind() == Kind.POSTGRES && checked.isPresent()) {
      Optional<GroupState> adopted = fenceOrAdopt(state, checked.get(), now);
      if (adopted.isPresent()) {
        return adopted.get();
      }
      return afterChecks(timelineSeen(state, checked.get(), now), checked, now);
    }
    return afterChecks(state, checked, now);
  }

  private GroupState afterChecks(GroupState state, Optional<MemberTrack> checked, Instant now) {
    if (state.intent().isPresent()) {
      // Retried once per check of the candidate (or read of the store), not once per result.
      boolean retry = checked.map(m -> m.name.equals(state.designated())).orElse(true);
      return retry ? complete(state, state.intent().get(), now) : state;
    }
    MemberTrack primary = tracks.get(state.primary());
    if (primary == null || primary.consecutiveFailures == 0) {
      refusal = Optional.empty();
      return state;
    }
    if (primary.consecutiveFailures < config.failureThreshold()
        || state.paused()
        || inCooldown(state, now)) {
      if (config.kind() == Kind.POSTGRES && !state.paused()) {
        prepareCandidates(primary);
      }
      return state;
    }
    return failOver(state, primary, now);
  }

  /** The standbys that could be promoted open their promotion's connection ahead. */
  private void prepareCandidates(MemberTrack primary) {
    tracks.values().stream()
        .filter(t -> t != primary && t.up(config.successThreshold()) && inRecovery(t))
        // A connect bounded by the timeout, once per outage: the common pool is fine for it.
        .forEach(t -> ((PostgresCheck) t.check).prepareToPromote(ForkJoinPool.commonPool()));
  }

  private boolean inCooldown(GroupState state, Instant now) {
    return state.lastFailoverAt().map(at -> at.plus(config.cooldown()).isAfter(now)).orElse(false);
  }

  private record Candidate(MemberTrack track, long lagBytes) {}

  private GroupState failOver(GroupState state, MemberTrack primary, Instant now) {
    List<Candidate> candidates =
        tracks.values().stream()
            .filter(t -> t != primary && t.up(config.successThreshold()))
            .filter(t -> config.kind() != Kind.POSTGRES || inRecovery(t))
            .map(t -> new Candidate(t, lag(t).orElse(0L)))
            .sorted(Comparator.comparingLong(Candidate::lagBytes))
            .toList();
    String failed =
        "primary '" + primary.name + "' failed " + primary.consecutiveFailures + " checks in a row";
    if (candidates.isEmpty()) {
      refuse(
          EventKind.REFUSED_NO_STANDBY,
          state,
          primary,
          Optional.empty(),
          failed + " and no standby is healthy",
          now);
      return state;
    }
    Candidate best = candidates.get(0);
    if (config.kind() == Kind.POSTGRES && best.lagBytes() > config.maximumLagOnFailover()) {
      refuse(
          EventKind.REFUSED_LAG,
          state,
          primary,
          Optional.of(best),
          failed
              + "; the least lagging standby '"
              + best.track().name
              + "' lags "
              + best.lagBytes()
              + " bytes, over maximum-lag-on-failover "
              + config.maximumLagOnFailover(),
          now);
      return state;
    }
    Intent intent =
        new Intent(
            state.epoch() + 1,
            best.track().name,
            primary.name,
            primary.consecutiveFailures,
            config.kind() == Kind.POSTGRES ? Optional.of(best.lagBytes()) : Optional.empty(),
            primary.failingSince.orElse(now));
    // The intent (and its epoch) is stored before anything is promoted; a service that loses this
    // compare-and-swap to another stands down and reads the other's decision from the store.
    Optional<GroupState> taken = await(store.takeIntent(group, state.epoch(), intent, now));
    return taken.map(stored -> complete(stored, intent, now)).orElse(state);
  }

  private Optional<Long> lag(MemberTrack member) {
    return config.kind() == Kind.POSTGRES
        ? ReplicationLag.of(member, tracks.values())
        : Optional.empty();
  }

  private static boolean inRecovery(MemberTrack track) {
    return track.liveFacts().map(PostgresFacts::inRecovery).orElse(false);
  }

  private void refuse(
      EventKind kind,
      GroupState state,
      MemberTrack primary,
      Optional<Candidate> best,
      String detail,
      Instant now) {
    if (refusal.equals(Optional.of(kind))) {
      return;
    }
    record(
        event(
            kind,
            state.epoch(),
            primary.name,
            best.map(c -> c.track().name),
            Optional.of(primary.consecutiveFailures),
            best.map(Candidate::lagBytes),
            detail,
            now));
    refusal = Optional.of(kind);
    metrics.counted(kind);
  }

  /** Promotes the intent's candidate (again, if need be) and records the new primary. */
  private GroupState complete(GroupState state, Intent intent, Instant now) {
    if (config.kind() == Kind.POSTGRES) {
      Optional<String> failure = promote(intent.candidate());
      if (failure.isPresent()) {
        if (failedEpoch != intent.epoch()) {
          failedEpoch = intent.epoch();
          metrics.counted(EventKind.FAILED);
          record(
              intentEvent(
                  EventKind.FAILED,
                  intent,
                  "promoting '"
                      + intent.candidate()
                      + "' failed (retried with the same candidate every check): "
                      + failure.get(),
                  now));
        }
        return state;
      }
    }
    Instant promotedAt = clock.instant();
    lastPromotion = Optional.of(new Promotion(intent.epoch(), promotedAt));
    FailoverEvent promoted =
        intentEvent(
            EventKind.PROMOTED,
            intent,
            (intent.consecutiveFailures() == 0
                    ? "switchover (a drill) from '" + intent.from() + "'"
                    : "primary '"
                        + intent.from()
                        + "' failed "
                        + intent.consecutiveFailures()
                        + " checks in a row")
                + "; promoted '"
                + intent.candidate()
                + "' in epoch "
                + intent.epoch(),
            now);
    if (!await(store.finish(group, intent.epoch(), intent.candidate(), promoted))) {
      return state; // finished by another replica: the next read of the store shows it
    }
    metrics.counted(EventKind.PROMOTED);
    // Until pg_promote returned: the decision's instant would leave the promotion out.
    metrics.recovered(Duration.between(intent.detectedAt(), promotedAt));
    refusal = Optional.empty();
    // The new primary's timeline is unknown until its next check: until then nothing is adopted.
    return new GroupState(
        group,
        intent.epoch(),
        intent.candidate(),
        state.paused(),
        Optional.empty(),
        Optional.of(now),
        Optional.empty());
  }

  private Optional<String> promote(String candidate) {
    MemberTrack track = tracks.get(candidate);
    try {
      return ((PostgresCheck) track.check).promote(config.promoteTimeout())
          ? Optional.empty()
          : Optional.of("pg_promote did not finish within " + config.promoteTimeout());
    } catch (SQLException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Records the timeline the epoch's primary writes on when its check shows a new one, so that a
   * member promoted after it can be told from a stray (also after a restart of the service).
   */
  private GroupState timelineSeen(GroupState state, MemberTrack member, Instant now) {
    if (state.intent().isPresent() || !member.name.equals(state.primary())) {
      return state;
    }
    Optional<Long> timeline =
        member.liveFacts().filter(f -> !f.inRecovery()).flatMap(PostgresFacts::timeline);
    if (timeline.isEmpty() || timeline.equals(state.primaryTimeline())) {
      return state;
    }
    boolean stored =
        await(store.recordTimeline(group, state.epoch(), state.primary(), timeline.get(), now));
    return stored ? state.withPrimaryTimeline(timeline.get()) : state;
  }

  /**
   * Makes {@code member} refuse writes when its check found it out of recovery though it is not the
   * epoch's primary: a returning old primary must never take writes beside the new one. A member
   * promoted by hand after the epoch's primary ({@link Adoption}) is adopted instead: returns the
   * state that makes it the primary of the next epoch, or the state unchanged when another service
   * changed the epoch first (its decision shows at the next read of the store).
   */
  private Optional<GroupState> fenceOrAdopt(GroupState state, MemberTrack member, Instant now) {
    Optional<PostgresFacts> facts = member.liveFacts();
    if (member.name.equals(state.designated())
        || facts.isEmpty()
        || facts.get().inRecovery()
        || facts.get().readOnly()) {
      return Optional.empty();
    }
    Optional<String> adoption =
        Adoption.reason(state, member, Optional.ofNullable(tracks.get(state.primary())));
    if (adoption.isPresent()) {
      FailoverEvent adopted =
          event(
              EventKind.ADOPTED,
              state.epoch() + 1,
              state.primary(),
              Optional.of(member.name),
              Optional.empty(),
              Optional.empty(),
              adoption.get(),
              now);
      long timeline = facts.get().timeline().orElseThrow();
      refusal = Optional.empty();
      Optional<GroupState> adoptedState =
          await(store.adopt(group, state.epoch(), member.name, timeline, adopted));
      adoptedState.ifPresent(s -> metrics.adopted());
      return Optional.of(adoptedState.orElse(state));
    }
    String source = "failover group " + group + " fencing " + member.name;
    try {
      int ended = ((PostgresCheck) member.check).fence();
      outages.succeeded(source);
      record(
          event(
              EventKind.FENCED,
              state.epoch(),
              member.name,
              Optional.of(state.designated()),
              Optional.empty(),
              Optional.empty(),
              "'"
                  + member.name
                  + "' answered out of recovery outside epoch "
                  + state.epoch()
                  + ": made read-only and ended "
                  + ended
                  + " client sessions; rebuild it with pg_rewind or a new base backup",
              now));
    } catch (SQLException e) {
      outages.failed(source, e);
    }
    return Optional.empty();
  }

  private FailoverEvent intentEvent(EventKind kind, Intent intent, String detail, Instant now) {
    return event(
        kind,
        intent.epoch(),
        intent.from(),
        Optional.of(intent.candidate()),
        Optional.of(intent.consecutiveFailures()),
        intent.lagBytes(),
        detail,
        now);
  }

  /** Every event of this group is made here: the one shape of what a decision records. */
  private FailoverEvent event(
      EventKind kind,
      long epoch,
      String oldPrimary,
      Optional<String> newPrimary,
      Optional<Integer> consecutiveFailures,
      Optional<Long> lagBytes,
      String detail,
      Instant now) {
    return FailoverEvent.of(
        group,
        now,
        kind,
        epoch,
        Optional.of(oldPrimary),
        newPrimary,
        consecutiveFailures,
        lagBytes,
        detail);
  }

  private void record(FailoverEvent event) {
    await(events.record(event));
  }

  private <T> T await(Uni<T> uni) {
    return uni.await().atMost(config.timeout().plusSeconds(5));
  }
}
