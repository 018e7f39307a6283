package dev.bulwark.backup.pitr.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.RealFailoverService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The receiver's question to failover-service, asked of the real failover-service (its built jar)
 * watching a real PostgreSQL pair, with a real RS256 viewer token.
 */
@QuarkusTest
class FailoverPrimariesTests {

  @Inject FailoverPrimaries primaries;

  private final RealFailoverService failover = RealFailoverService.instance();

  @Test
  void readsTheMemberFailoverServiceNamesPrimaryWithTheViewerToken() {
    // failover-service answers 401 to any other token; the member is the one that takes writes.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(primaries.primaryMember(RealFailoverService.GROUP))
                    .contains(failover.writableMember()));
  }

  @Test
  void aGroupWithoutAPrimaryYetNamesNone() {
    // Its only member was never reached: failover-service names no primary.
    assertThat(primaries.primaryMember(RealFailoverService.UNREACHED)).isEmpty();
  }

  @Test
  void anUnknownGroupFailsAtOnceWithoutRetrying() {
    long before = failover.requestsFor("/api/v1/groups/nope");

    assertThatThrownBy(() -> primaries.primaryMember("nope")).hasMessageContaining("404");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> failover.requestsFor("/api/v1/groups/nope") == before + 1);
    // No second request follows the answer: the 404 was not retried.
    assertThat(failover.requestsFor("/api/v1/groups/nope")).isEqualTo(before + 1);
  }

  @Test
  void aStoppedFailoverServiceFailsTheLookupAndItsReturnHealsItWithoutARestart() {
    failover.kill();
    try {
      assertThatThrownBy(() -> primaries.primaryMember(RealFailoverService.GROUP))
          .hasMessageContaining("Connection refused");
    } finally {
      failover.restart();
    }

    assertThat(primaries.primaryMember(RealFailoverService.GROUP))
        .contains(failover.writableMember());
  }

  @Test
  void aHangingFailoverServiceFailsWithinTheTimeoutsInsteadOfHoldingTheReceiver() {
    failover.freeze();
    long started = System.nanoTime();
    try {
      assertThatThrownBy(() -> primaries.primaryMember(RealFailoverService.GROUP))
          .hasMessageContaining("did not answer within 2000 ms");
    } finally {
      failover.thaw();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    // Two calls of 2 s (the first retried once) and a back-off between them, not more.
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4))
        .isLessThan(Duration.ofSeconds(8));
  }
}
