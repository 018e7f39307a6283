package dev.bulwark.backup.dumps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a target's settings. */
class BackupTargetTests {

  @Test
  void aUrlGivesHostPortAndDatabaseWithPostgresDefaultPort() {
    BackupTarget target =
        BackupTarget.parse(
            "pipeline", "postgresql://db.example/leads", Optional.of("backup"), Optional.of("pw"));

    assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/leads");
    assertThat(target.toString()).doesNotContain("pw");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://db:5432/leads",
        "postgresql://db:5432/",
        "postgresql://user:secret@db:5432/leads",
        "postgresql://db:5432/a/b"
      })
  void aUrlOfAnotherFormNamesTheSettingAndTheExpectedForm(String url) {
    assertThatThrownBy(
            () -> BackupTarget.parse("pipeline", url, Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bulwark.backup.targets.pipeline.url")
        .hasMessageContaining("postgresql://host[:port]/database")
        .hasMessageNotContaining("secret");
  }

  @Test
  void aNameThatCannotBeAKeySegmentIsRefused() {
    BackupTarget target =
        BackupTarget.parse("x", "postgresql://db/x", Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> new BackupTargets(Map.of("../etc", target)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'../etc'");
  }
}
