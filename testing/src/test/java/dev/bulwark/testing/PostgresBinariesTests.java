package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PostgresBinariesTests {

  @Test
  void findsAnInitdbThatRuns() {
    String version =
        Commands.run(
            java.util.List.of(PostgresBinaries.tool("initdb"), "--version"),
            java.time.Duration.ofSeconds(10));

    assertThat(version).contains("initdb (PostgreSQL)");
    assertThat(Files.isExecutable(PostgresBinaries.bindir().resolve("pg_basebackup"))).isTrue();
  }

  @Test
  void missingBinariesSayWhatToInstall() {
    assertThat(PostgresBinaries.INSTALL_HINT)
        .contains("apt-get install postgresql")
        .contains("PG_BIN");
  }
}
