package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void aPgBinWithoutTheServerIsNotUsed(@TempDir Path empty) {
    assertThat(PostgresBinaries.locate(empty.toString())).isEmpty();
    assertThat(PostgresBinaries.locate(PostgresBinaries.bindir().toString()))
        .contains(PostgresBinaries.bindir());
  }

  @Test
  void aMissingToolSaysWhatToInstall() {
    assertThatThrownBy(() -> PostgresBinaries.tool("pg_no_such_tool"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pg_no_such_tool is missing")
        .hasMessageContaining("apt-get install postgresql")
        .hasMessageContaining("PG_BIN");
  }
}
