package dev.bulwark.failover.groups;

import dev.bulwark.failover.checks.CheckResult;
import dev.bulwark.failover.checks.MemberCheck;
import dev.bulwark.failover.checks.PostgresFacts;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One member's check and the run of results behind its status; touched on its monitor's thread
 * only.
 */
final class MemberTrack {

  final String name;
  final MemberCheck check;

  /** The check running on a checker thread (it may outlive the timeout its result was given). */
  CompletableFuture<CheckResult> running;

  /** A check was started and its result (or its timeout) is not recorded yet. */
  boolean awaitingResult;

  int consecutiveFailures;
  int consecutiveSuccesses;
  boolean lastUp;
  Optional<Instant> lastCheckAt = Optional.empty();
  Optional<String> lastError = Optional.empty();

  /** What the last successful postgres check read. */
  Optional<PostgresFacts> lastFacts = Optional.empty();

  /** When the current run of failures began (the first failed check). */
  Optional<Instant> failingSince = Optional.empty();

  MemberTrack(String name, MemberCheck check) {
    this.name = name;
    this.check = check;
  }

  void record(CheckResult result, Instant at) {
    lastCheckAt = Optional.of(at);
    lastUp = result.up();
    if (result.up()) {
      consecutiveFailures = 0;
      consecutiveSuccesses++;
      failingSince = Optional.empty();
      lastError = Optional.empty();
      result.postgres().ifPresent(facts -> lastFacts = Optional.of(facts));
    } else {
      consecutiveSuccesses = 0;
      consecutiveFailures++;
      if (failingSince.isEmpty()) {
        failingSince = Optional.of(at);
      }
      lastError = result.error();
    }
  }

  /** Up: the last {@code successThreshold} checks succeeded. */
  boolean up(int successThreshold) {
    return lastUp && consecutiveSuccesses >= successThreshold;
  }

  /** Facts of this tick's successful check; empty when it failed. */
  Optional<PostgresFacts> liveFacts() {
    return lastUp ? lastFacts : Optional.empty();
  }
}
