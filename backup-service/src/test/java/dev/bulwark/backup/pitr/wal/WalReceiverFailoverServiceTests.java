package dev.bulwark.backup.pitr.wal;

import static dev.bulwark.backup.pitr.wal.ArchivedWal.TARGET;
import static dev.bulwark.backup.pitr.wal.ArchivedWal.writeAndSwitch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.RealFailoverService;
import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.testing.PostgresNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver whose target names a failover-service group, against the real failover-service (its
 * built jar) and the real pair it watches: it streams from its hosts list while failover-service is
 * down, from the member failover-service names once it is back, and follows a switchover that
 * failover-service itself carries out to a member its hosts list does not name.
 */
@QuarkusTest
class WalReceiverFailoverServiceTests {

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String GAUGE = "bulwark.backup.pitr.primary.from.failover.service";

  @Inject FailoverPrimaries primaries;

  @TempDir Path dir;

  private final RealFailoverService failover = RealFailoverService.instance();

  @Test
  void followsItsHostsWhileFailoverServiceIsDownAndItsSwitchoverOnceItIsBack() throws IOException {
    String first = failover.writableMember();
    PostgresNode primary = failover.member(first);
    // The hosts list names the current primary only: only failover-service can lead further.
    ReceiverSettings hostsOnly =
        ArchivedWal.settings(dir, List.of(primary), Long.MAX_VALUE, Long.MAX_VALUE);
    ReceiverSettings settings = withGroup(hostsOnly);

    failover.kill();
    try (ArchivedWal wal = ArchivedWal.start(dir, settings, primaries)) {
      try {
        // Given failover-service down: the hosts list finds the primary.
        await().atMost(PATIENCE).until(() -> streamsFrom(primary));
        String fromHosts = writeAndSwitch(primary);
        await().atMost(PATIENCE).until(() -> wal.segments().contains(fromHosts));
        assertThat(wal.gauge(GAUGE)).isZero();
      } finally {
        failover.restart();
      }

      // When it is back: the same server, now by failover-service's word.
      await().atMost(PATIENCE).until(() -> wal.gauge(GAUGE) == 1.0);

      // When failover-service switches the group over: the receiver moves to the new primary.
      long timeline = WalSegmentName.parse(writeAndSwitch(primary)).timeline();
      String next = failover.switchover();
      assertThat(next).isNotEqualTo(first);
      PostgresNode promoted = failover.member(next);
      await().atMost(PATIENCE).until(() -> streamsFrom(promoted));
      String onNewTimeline = writeAndSwitch(promoted);
      assertThat(WalSegmentName.parse(onNewTimeline).timeline()).isEqualTo(timeline + 1);
      await().atMost(PATIENCE).until(() -> wal.segments().contains(onNewTimeline));
      assertThat(wal.archive.list(TARGET)).contains("%08X.history".formatted(timeline + 1));
      wal.assertNoGap();
      assertThat(wal.gauge(GAUGE)).isEqualTo(1.0);
      assertThat(wal.baseBackupRequests).isEmpty();
    }
  }

  private ReceiverSettings withGroup(ReceiverSettings s) {
    PostgresNode node1 = failover.member("node1");
    PostgresNode node2 = failover.member("node2");
    return new ReceiverSettings(
        s.target(),
        s.hosts(),
        s.database(),
        s.username(),
        s.password(),
        s.spoolDir(),
        s.synchronous(),
        s.statusInterval(),
        s.partialEvery(),
        s.spoolLimit(),
        s.slotLimit(),
        s.pollEvery(),
        s.checkEvery(),
        s.backoffMin(),
        s.backoffMax(),
        s.healthyAfter(),
        Optional.of(RealFailoverService.GROUP),
        Map.of(
            "node1", new HostPort(node1.host(), node1.port()),
            "node2", new HostPort(node2.host(), node2.port())));
  }

  private static boolean streamsFrom(PostgresNode node) {
    return "true"
        .equals(
            node.queryValue(
                "SELECT active::text FROM pg_replication_slots WHERE slot_name = 'bulwark_"
                    + TARGET
                    + "'"));
  }
}
