package dev.bulwark.backup.pitr.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.FakeFailoverService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiver's question to failover-service, over HTTP to a fake speaking its GroupView. */
@QuarkusTest
class FailoverPrimariesTests {

  private static final String GROUP_PATH = "/api/v1/groups/pipeline";

  @Inject FailoverPrimaries primaries;

  private final FakeFailoverService failover = FakeFailoverService.instance();

  @BeforeEach
  @AfterEach
  void reset() {
    failover.reset();
  }

  @Test
  void readsTheMemberFailoverServiceNamesPrimaryWithTheViewerToken() {
    failover.primary("node2");

    assertThat(primaries.primaryMember("pipeline")).contains("node2");
    // The fake answers 401 to any other token: one call, answered.
    assertThat(failover.calls()).containsExactly(GROUP_PATH);
  }

  @Test
  void aGroupWithoutAPrimaryYetNamesNone() {
    failover.primary(null);

    assertThat(primaries.primaryMember("pipeline")).isEmpty();
  }

  @Test
  void anUnknownGroupFailsAtOnceWithoutRetrying() {
    assertThatThrownBy(() -> primaries.primaryMember("nope")).hasMessageContaining("404");
    assertThat(failover.calls()).containsExactly("/api/v1/groups/nope");
  }

  @Test
  void anOutageFailsAfterOneRetry() {
    failover.mode(FakeFailoverService.Mode.FAIL);

    assertThatThrownBy(() -> primaries.primaryMember("pipeline")).hasMessageContaining("503");
    assertThat(failover.calls()).isEqualTo(List.of(GROUP_PATH, GROUP_PATH));
  }

  @Test
  void aHangingFailoverServiceFailsWithinTheTimeoutsInsteadOfHoldingTheReceiver() {
    failover.mode(FakeFailoverService.Mode.HANG);

    long started = System.nanoTime();
    assertThatThrownBy(() -> primaries.primaryMember("pipeline"))
        .hasMessageContaining("did not answer within 2000 ms");
    // Two calls of 2 s and a back-off between them.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
  }
}
