package dev.bulwark.backup.pitr.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PgReceiveWalCommandTests {

  @Test
  void theCommandLineNamesSlotSpoolAndApplicationButNeverThePassword() {
    List<String> command =
        PgReceiveWal.command(
            Path.of("/usr/lib/postgresql/15/bin/pg_receivewal"),
            settings("Pipe.line-1", true),
            new HostPort("pg-b", 5433));

    assertThat(command)
        .containsExactly(
            "/usr/lib/postgresql/15/bin/pg_receivewal",
            "--directory=/spool/Pipe.line-1",
            "--slot=bulwark_pipe_line_1",
            "--status-interval=1",
            "--no-password",
            "--no-loop",
            "--dbname=host=pg-b port=5433 application_name=bulwark_pipe_line_1 user='backup'",
            "--synchronous");
    assertThat(String.join(" ", command)).doesNotContain("s3cret");
  }

  @Test
  void asynchronousModeHasNoSynchronousFlag() {
    assertThat(
            PgReceiveWal.command(
                Path.of("pg_receivewal"), settings("pipeline", false), new HostPort("pg", 5432)))
        .doesNotContain("--synchronous");
  }

  @Test
  void hostsAreHostColonPortWithPostgresDefaultPort() {
    assertThat(HostPort.parse("hosts", "pg-a:6432")).isEqualTo(new HostPort("pg-a", 6432));
    assertThat(HostPort.parse("hosts", "pg-a")).isEqualTo(new HostPort("pg-a", 5432));
    assertThatThrownBy(() -> HostPort.parse("bulwark.backup.pitr.targets.x.hosts", "pg-a:http"))
        .hasMessageContaining("bulwark.backup.pitr.targets.x.hosts")
        .hasMessageContaining("port number");
  }

  private static ReceiverSettings settings(String target, boolean synchronous) {
    return new ReceiverSettings(
        target,
        List.of(new HostPort("pg-a", 5432)),
        "postgres",
        Optional.of("backup"),
        Optional.of("s3cret"),
        Path.of("/spool").resolve(target),
        synchronous,
        Duration.ofMillis(500),
        Duration.ofSeconds(10),
        1,
        1,
        Duration.ofMillis(250),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        Optional.empty(),
        Map.of());
  }
}
