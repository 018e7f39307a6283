package dev.bulwark.failover.groups;

import dev.bulwark.failover.checks.PostgresCheck;
import dev.bulwark.failover.checks.PostgresFacts;
import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.config.FailoverConfig.Kind;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The decisions of one group's monitor, each taken on the state just read from the store: fence a
 * member out of recovery that is not the epoch's primary; finish a stored failover with its
 * candidate (never another); start a failover after {@code failure-threshold} failed checks of the
 * primary, to the healthy standby with the least lag, by compare-and-swap on the epoch.
 */
final class Decisions {

  private final GroupMonitor monitor;
  private final FailoverConfig.Group config;

  /** The refusal recorded for the primary's current outage, so that it is recorded once. */
  private Optional<EventKind> refusal = Optional.empty();

  /** The epoch whose failed promotion was recorded, so that retries do not repeat the event. */
  private long failedEpoch = -1;

  Decisions(GroupMonitor monitor) {
    this.monitor = monitor;
    this.config = monitor.config();
  }

  boolean refusing() {
    return refusal.isPresent();
  }

  void act(GroupState state, Instant now) {
    if (config.kind() == Kind.POSTGRES) {
      fenceStrays(state, now);
    }
    if (state.intent().isPresent()) {
      complete(state, state.intent().get(), now);
      return;
    }
    MemberTrack primary = monitor.tracks().get(state.primary());
    if (primary == null || primary.consecutiveFailures == 0) {
      refusal = Optional.empty();
      return;
    }
    if (primary.consecutiveFailures < config.failureThreshold()
        || state.paused()
        || inCooldown(state, now)) {
      return;
    }
    failOver(state, primary, now);
  }

  private boolean inCooldown(GroupState state, Instant now) {
    return state.lastFailoverAt().map(at -> at.plus(config.cooldown()).isAfter(now)).orElse(false);
  }

  private record Candidate(MemberTrack track, long lagBytes) {}

  private void failOver(GroupState state, MemberTrack primary, Instant now) {
    List<Candidate> candidates =
        monitor.tracks().values().stream()
            .filter(t -> t != primary && t.up(config.successThreshold()))
            .filter(t -> config.kind() != Kind.POSTGRES || inRecovery(t))
            .map(t -> new Candidate(t, monitor.lag(t).orElse(0L)))
            .sorted(Comparator.comparingLong(Candidate::lagBytes))
            .toList();
    if (candidates.isEmpty()) {
      refuse(
          EventKind.REFUSED_NO_STANDBY,
          state,
          primary,
          Optional.empty(),
          "primary '"
              + primary.name
              + "' failed "
              + primary.consecutiveFailures
              + " checks in a row and no standby is healthy",
          now);
      return;
    }
    Candidate best = candidates.get(0);
    if (config.kind() == Kind.POSTGRES && best.lagBytes() > config.maximumLagOnFailover()) {
      refuse(
          EventKind.REFUSED_LAG,
          state,
          primary,
          Optional.of(best),
          "primary '"
              + primary.name
              + "' failed "
              + primary.consecutiveFailures
              + " checks in a row; the least lagging standby '"
              + best.track().name
              + "' lags "
              + best.lagBytes()
              + " bytes, over maximum-lag-on-failover "
              + config.maximumLagOnFailover(),
          now);
      return;
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
    // compare-and-swap to another stands down and reads the other's decision next tick.
    Optional<GroupState> taken =
        monitor.await(monitor.store().takeIntent(monitor.group(), state.epoch(), intent, now));
    taken.ifPresent(stored -> complete(stored, intent, now));
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
    monitor.await(
        monitor
            .events()
            .record(
                FailoverEvent.of(
                    monitor.group(),
                    now,
                    kind,
                    state.epoch(),
                    Optional.of(primary.name),
                    best.map(c -> c.track().name),
                    Optional.of(primary.consecutiveFailures),
                    best.map(Candidate::lagBytes),
                    detail)));
    refusal = Optional.of(kind);
    monitor.metrics().counted(kind);
  }

  /** Promotes the intent's candidate (again, if need be) and records the new primary. */
  private void complete(GroupState state, Intent intent, Instant now) {
    if (config.kind() == Kind.POSTGRES) {
      Optional<String> failure = promote(intent.candidate());
      if (failure.isPresent()) {
        if (failedEpoch != intent.epoch()) {
          failedEpoch = intent.epoch();
          monitor.metrics().counted(EventKind.FAILED);
          monitor.await(
              monitor
                  .events()
                  .record(
                      FailoverEvent.of(
                          monitor.group(),
                          now,
                          EventKind.FAILED,
                          intent.epoch(),
                          Optional.of(intent.from()),
                          Optional.of(intent.candidate()),
                          Optional.of(intent.consecutiveFailures()),
                          intent.lagBytes(),
                          "promoting '"
                              + intent.candidate()
                              + "' failed (retried with the same"
                              + " candidate every check): "
                              + failure.get())));
        }
        return;
      }
    }
    FailoverEvent promoted =
        FailoverEvent.of(
            monitor.group(),
            now,
            EventKind.PROMOTED,
            intent.epoch(),
            Optional.of(intent.from()),
            Optional.of(intent.candidate()),
            Optional.of(intent.consecutiveFailures()),
            intent.lagBytes(),
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
                + intent.epoch());
    boolean finished =
        monitor.await(
            monitor.store().finish(monitor.group(), intent.epoch(), intent.candidate(), promoted));
    if (finished) {
      monitor.metrics().counted(EventKind.PROMOTED);
      // Until now, after pg_promote returned: the tick's start would leave the promotion out.
      monitor.metrics().recovered(Duration.between(intent.detectedAt(), monitor.now()));
      refusal = Optional.empty();
    }
  }

  private Optional<String> promote(String candidate) {
    MemberTrack track = monitor.tracks().get(candidate);
    try {
      return ((PostgresCheck) track.check).promote(config.promoteTimeout())
          ? Optional.empty()
          : Optional.of("pg_promote did not finish within " + config.promoteTimeout());
    } catch (SQLException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Makes every member that answers out of recovery but is not the epoch's primary refuse writes: a
   * returning old primary must never take writes beside the new one.
   */
  private void fenceStrays(GroupState state, Instant now) {
    for (MemberTrack track : monitor.tracks().values()) {
      Optional<PostgresFacts> facts = track.liveFacts();
      if (track.name.equals(state.designated())
          || facts.isEmpty()
          || facts.get().inRecovery()
          || facts.get().readOnly()) {
        continue;
      }
      String source = monitor.source() + " fencing " + track.name;
      try {
        int ended = ((PostgresCheck) track.check).fence();
        monitor.outages().succeeded(source);
        monitor.await(
            monitor
                .events()
                .record(
                    FailoverEvent.of(
                        monitor.group(),
                        now,
                        EventKind.FENCED,
                        state.epoch(),
                        Optional.of(track.name),
                        Optional.of(state.designated()),
                        Optional.empty(),
                        Optional.empty(),
                        "'"
                            + track.name
                            + "' answered out of recovery outside epoch "
                            + state.epoch()
                            + ": made read-only and ended "
                            + ended
                            + " client sessions; rebuild it with pg_rewind or a new base backup")));
      } catch (SQLException e) {
        monitor.outages().failed(source, e);
      }
    }
  }
}
