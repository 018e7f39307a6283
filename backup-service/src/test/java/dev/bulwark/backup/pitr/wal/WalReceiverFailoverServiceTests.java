package dev.bulwark.backup.pitr.wal;

import static dev.bulwark.backup.pitr.wal.ArchivedWal.TARGET;
import static dev.bulwark.backup.pitr.wal.ArchivedWal.writeAndSwitch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.pitr.WalSegmentName;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver whose target names a failover-service group, on real PostgreSQL: it streams from the
 * member failover-service names primary, from its hosts list while failover-service does not
 * answer, and follows a failover to a member its hosts list does not name.
 */
class WalReceiverFailoverServiceTests {

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String GAUGE = "bulwark.backup.pitr.primary.from.failover.service";

  @TempDir Path dir;

  /** failover-service as the receiver sees it: a primary member, or down. */
  private final AtomicReference<Optional<String>> named = new AtomicReference<>(Optional.empty());

  private final List<String> asked = new CopyOnWriteArrayList<>();

  private Optional<String> ask(String group) {
    asked.add(group);
    return Optional.of(
        named.get().orElseThrow(() -> new IllegalStateException("failover-service is down")));
  }

  @Test
  void followsTheMemberFailoverServiceNamesAndItsHostsWhileItIsDown() throws IOException {
    try (PostgresCluster cluster = PostgresCluster.start("pitr-fs")) {
      PostgresNode node1 = cluster.primary();
      PostgresNode node2 = cluster.addStandby();
      ReceiverSettings hostsOnly =
          ArchivedWal.settings(dir, List.of(node1), Long.MAX_VALUE, Long.MAX_VALUE);
      // The hosts list names node1 only: only failover-service can lead the receiver to node2.
      ReceiverSettings settings = withGroup(hostsOnly, node1, node2);

      try (ArchivedWal wal = ArchivedWal.start(dir, settings, this::ask)) {
        // Given failover-service down: the hosts list finds node1.
        await().atMost(PATIENCE).until(() -> streamsFrom(node1));
        String fromHosts = writeAndSwitch(node1);
        await().atMost(PATIENCE).until(() -> wal.segments().contains(fromHosts));
        assertThat(wal.gauge(GAUGE)).isZero();
        assertThat(asked).isNotEmpty().containsOnly("pipeline-db");

        // When it answers node1: the same server, now by failover-service's word.
        named.set(Optional.of("node1"));
        await().atMost(PATIENCE).until(() -> wal.gauge(GAUGE) == 1.0);

        // When node2 is promoted and failover-service names it: the receiver moves there.
        node1.stop();
        node2.promote();
        named.set(Optional.of("node2"));
        await().atMost(PATIENCE).until(() -> streamsFrom(node2));
        String onTimeline2 = writeAndSwitch(node2);
        assertThat(WalSegmentName.parse(onTimeline2).timeline()).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> wal.segments().contains(onTimeline2));
        assertThat(wal.archive.list(TARGET)).contains("00000002.history");
        wal.assertNoGap();
        assertThat(wal.gauge(GAUGE)).isEqualTo(1.0);
        assertThat(wal.baseBackupRequests).isEmpty();
      }
    }
  }

  private static ReceiverSettings withGroup(
      ReceiverSettings s, PostgresNode node1, PostgresNode node2) {
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
        Optional.of("pipeline-db"),
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
