package dev.bulwark.backup.pitr.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.PostgresCluster;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiverLeadershipTests {

  @Test
  void oneReplicaLeadsUntilItLetsGoOrLosesTheStore() {
    try (PostgresCluster store = PostgresCluster.start("pitr-leader")) {
      String url = store.primary().jdbcUrl("postgres");
      try (ReceiverLeadership first =
              new ReceiverLeadership(url, Optional.of("postgres"), Optional.empty());
          ReceiverLeadership second =
              new ReceiverLeadership(url, Optional.of("postgres"), Optional.empty())) {
        assertThat(first.holds()).isTrue();
        assertThat(second.holds()).isFalse();
        assertThat(first.holds()).as("still holds on its open session").isTrue();

        first.release();
        assertThat(second.holds()).isTrue();
        assertThat(first.holds()).isFalse();

        // The store restarts: the session, and with it the lock, is gone; whoever asks first leads.
        store.primary().stop();
        assertThat(second.holds()).isFalse();
        store.primary().start();
        assertThat(first.holds()).isTrue();
        assertThat(second.holds()).isFalse();
      }
    }
  }
}
