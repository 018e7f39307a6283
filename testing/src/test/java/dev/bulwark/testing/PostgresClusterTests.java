package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresClusterTests {

  static PostgresCluster cluster;
  static PostgresNode standby;

  @BeforeAll
  static void startClusterWithStandby() {
    cluster = PostgresCluster.start("harness");
    standby = cluster.addStandby();
  }

  @AfterAll
  static void closeCluster() {
    cluster.close();
  }

  @Test
  void standbyReplaysWhatThePrimaryCommits() {
    cluster.primary().execute("CREATE TABLE replicated(id int primary key, note text)");
    cluster.primary().execute("INSERT INTO replicated VALUES (1, 'hello')");

    cluster
        .primary()
        .awaitCondition(
            "replays the insert on the standby",
            Duration.ofSeconds(30),
            () -> "hello".equals(valueOrNull(standby, "SELECT note FROM replicated WHERE id = 1")));
    assertThat(standby.isInRecovery()).isTrue();
    assertThat(cluster.primary().isInRecovery()).isFalse();
    assertThat(
            cluster
                .primary()
                .queryValue("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"))
        .isEqualTo("1");
  }

  /** The standby may not have replayed the CREATE TABLE yet: treat that as "not yet". */
  private static String valueOrNull(PostgresNode node, String sql) {
    try {
      return node.queryValue(sql);
    } catch (IllegalStateException notYet) {
      return null;
    }
  }

  @Test
  void crashedPrimaryRestartsWithCommittedData() {
    cluster.primary().execute("CREATE TABLE survivors(id int)");
    cluster.primary().execute("INSERT INTO survivors SELECT generate_series(1, 1000)");
    long pid = cluster.primary().postmasterPid().orElseThrow();

    cluster.primary().crash();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(cluster.primary().isRunning()).isFalse();
    assertThatThrownBy(() -> cluster.primary().queryValue("SELECT 1"))
        .isInstanceOf(IllegalStateException.class);

    cluster.primary().start();

    assertThat(cluster.primary().queryValue("SELECT count(*) FROM survivors")).isEqualTo("1000");
    assertThat(cluster.primary().postmasterPid().orElseThrow()).isNotEqualTo(pid);
  }

  @Test
  void stoppedNodeStartsAgain() {
    standby.stop();
    assertThat(standby.isRunning()).isFalse();

    standby.start();

    assertThat(standby.queryValue("SELECT 1")).isEqualTo("1");
  }

  @Test
  void closeStopsEveryProcessAndDeletesFiles() {
    PostgresCluster shortLived = PostgresCluster.start("short");
    long pid = shortLived.primary().postmasterPid().orElseThrow();
    Path dir = shortLived.directory();

    shortLived.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void runsTheServerAsThePostgresUserWhenRoot() {
    String owner = cluster.primary().queryValue("SELECT current_setting('data_directory')");
    assertThat(owner).isEqualTo(cluster.primary().dataDir().toString());
    if (Commands.runningAsRoot()) {
      long pid = cluster.primary().postmasterPid().orElseThrow();
      assertThat(ProcessHandle.of(pid).flatMap(h -> h.info().user())).contains("postgres");
    }
  }
}
