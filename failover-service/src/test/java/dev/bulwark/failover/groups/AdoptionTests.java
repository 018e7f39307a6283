package dev.bulwark.failover.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.failover.checks.CheckResult;
import dev.bulwark.failover.checks.MemberCheck;
import dev.bulwark.failover.checks.PostgresFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rule that adopts a member promoted by hand and fences a stray, on checks' facts alone
 * (HandPromotionTests runs it on real PostgreSQL): the higher timeline wins, and nothing else does.
 */
class AdoptionTests {

  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  @Test
  void aWritableMemberOnAHigherTimelineThanTheEpochsPrimaryIsAdopted() {
    assertThat(Adoption.reason(state(Optional.of(1L)), primaryOn(2, false), down()))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("timeline 2, above timeline 1 of 'node1'")
                    .contains("does not answer (2 failed checks in a row)")
                    .contains("adopted as the primary of epoch 4"));
  }

  @Test
  void aMemberOnTheEpochsTimelineOrALowerOneIsAStray() {
    assertThat(Adoption.reason(state(Optional.of(2L)), primaryOn(2, false), down())).isEmpty();
    assertThat(Adoption.reason(state(Optional.of(3L)), primaryOn(2, false), down())).isEmpty();
  }

  @Test
  void ofTwoWritablePrimariesTheOneOnTheHigherTimelineWins() {
    // The epoch's primary answers on timeline 2 and the other on 3: the other is adopted.
    assertThat(
            Adoption.reason(
                state(Optional.of(2L)), primaryOn(3, false), Optional.of(primaryOn(2, false))))
        .hasValueSatisfying(why -> assertThat(why).contains("which answers on timeline 2"));
    // The epoch's primary answers on a timeline as high as the other's: it keeps the group.
    assertThat(
            Adoption.reason(
                state(Optional.of(2L)), primaryOn(3, false), Optional.of(primaryOn(3, false))))
        .isEmpty();
  }

  @Test
  void nothingIsAdoptedWithoutAKnownTimelineDuringAFailoverOrWhenFenced() {
    assertThat(Adoption.reason(state(Optional.empty()), primaryOn(2, false), down())).isEmpty();
    assertThat(Adoption.reason(failingOver(), primaryOn(2, false), down())).isEmpty();
    assertThat(Adoption.reason(state(Optional.of(1L)), primaryOn(2, true), down()))
        .as("a fenced member stays out")
        .isEmpty();
  }

  private static GroupState state(Optional<Long> timeline) {
    return new GroupState("g", 3, "node1", false, Optional.empty(), Optional.empty(), timeline);
  }

  private static GroupState failingOver() {
    Intent intent = new Intent(4, "node3", "node1", 2, Optional.of(0L), NOW);
    return new GroupState(
        "g", 4, "node1", false, Optional.of(intent), Optional.empty(), Optional.of(1L));
  }

  private static MemberTrack primaryOn(long timeline, boolean readOnly) {
    MemberTrack track = new MemberTrack("node2", new NoCheck());
    track.record(
        CheckResult.up(
            new PostgresFacts(
                false,
                Optional.of(100L),
                Optional.empty(),
                Optional.empty(),
                readOnly,
                Optional.of(timeline)),
            Duration.ZERO),
        NOW);
    return track;
  }

  private static Optional<MemberTrack> down() {
    MemberTrack track = new MemberTrack("node1", new NoCheck());
    track.record(CheckResult.down("connection refused", Duration.ZERO), NOW);
    track.record(CheckResult.down("connection refused", Duration.ZERO), NOW);
    return Optional.of(track);
  }

  /** A track's check is never run here: the facts are recorded by hand. */
  private static final class NoCheck implements MemberCheck {
    @Override
    public CheckResult check() {
      throw new UnsupportedOperationException();
    }
  }
}
