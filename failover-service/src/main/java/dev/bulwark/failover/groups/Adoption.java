package dev.bulwark.failover.groups;

import dev.bulwark.failover.checks.PostgresFacts;
import java.util.Optional;

/**
 * Tells a member promoted outside failover-service (an operator's {@code pg_ctl promote}, typically
 * while the service was down) from a stray old primary. Both answer out of recovery though they are
 * not the epoch's primary; the timeline tells them apart: PostgreSQL starts a new one, one higher,
 * at every promotion, so a member writing on a higher timeline than the epoch's primary was seen on
 * was promoted after it, from its history. An old primary (or a sibling promoted from the same
 * history) writes on the same timeline or a lower one, and is fenced as before.
 *
 * <p>Of two members that both claim to be primary, the one on the higher timeline wins: the epoch's
 * primary keeps the group unless it does not answer as a writable primary, or answers on a lower
 * timeline. The rule never adopts while a failover is in progress (its intent names the only member
 * to promote), never a member that refuses writes (fenced once, it stays out), and never while the
 * epoch's primary's timeline is unknown (not yet seen in this epoch): then it fences.
 */
final class Adoption {

  private Adoption() {}

  /**
   * Why {@code member}, out of recovery outside the epoch, is to be adopted as the group's primary;
   * empty when it is a stray to fence. {@code primary} is the epoch's primary's track, if any.
   */
  static Optional<String> reason(
      GroupState state, MemberTrack member, Optional<MemberTrack> primary) {
    Optional<PostgresFacts> facts = member.liveFacts();
    if (state.intent().isPresent()
        || state.primaryTimeline().isEmpty()
        || facts.isEmpty()
        || facts.get().inRecovery()
        || facts.get().readOnly()
        || facts.get().timeline().isEmpty()) {
      return Optional.empty();
    }
    long timeline = facts.get().timeline().get();
    long seen = state.primaryTimeline().get();
    if (timeline <= seen) {
      return Optional.empty();
    }
    Optional<Long> primaryTimeline =
        primary
            .flatMap(MemberTrack::liveFacts)
            .filter(f -> !f.inRecovery() && !f.readOnly())
            .flatMap(PostgresFacts::timeline);
    if (primaryTimeline.map(t -> t >= timeline).orElse(false)) {
      return Optional.empty();
    }
    return Optional.of(
        "'"
            + member.name
            + "' answered out of recovery on timeline "
            + timeline
            + ", above timeline "
            + seen
            + " of '"
            + state.primary()
            + "', the primary of epoch "
            + state.epoch()
            + ", which "
            + primaryTimeline
                .map(t -> "answers on timeline " + t)
                .orElse(primary.map(Adoption::notPrimary).orElse("is not configured"))
            + ": promoted outside failover-service (by hand), adopted as the primary of epoch "
            + (state.epoch() + 1)
            + "; '"
            + state.primary()
            + "' is fenced if it answers out of recovery again");
  }

  private static String notPrimary(MemberTrack primary) {
    if (primary.liveFacts().isEmpty()) {
      return primary.lastCheckAt.isEmpty()
          ? "was not checked yet"
          : "does not answer (" + primary.consecutiveFailures + " failed checks in a row)";
    }
    return primary.liveFacts().get().inRecovery() ? "answers in recovery" : "refuses writes";
  }
}
