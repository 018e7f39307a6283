package dev.bulwark.backup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What of pg_restore's stderr reaches an error. */
class PgRestoreStderrTests {

  @TempDir Path dir;

  @Test
  void aRowQuotedByAFailingCopyIsNotShown() {
    String stderr =
        """
        pg_restore: error: COPY failed for table "leads": ERROR:  invalid input syntax for type integer: "x"
        CONTEXT:  COPY leads, line 1, column id: "secret@example.com\tx"
        CONTEXT:  COPY outbox, line 12: "7\tbody with a password"
        pg_restore: warning: errors ignored on restore: 1""";

    String shown = PgRestoreStderr.redactRows(stderr);

    assertThat(shown)
        .doesNotContain("secret@example.com")
        .doesNotContain("password")
        .contains("CONTEXT:  COPY leads, line 1, column id: <row not shown>")
        .contains("CONTEXT:  COPY outbox, line 12: <row not shown>")
        .contains("invalid input syntax for type integer")
        .endsWith("errors ignored on restore: 1");
  }

  @Test
  void aLongStderrIsCutToItsEnd() throws Exception {
    Path file = dir.resolve("err");
    Files.writeString(file, "x".repeat(10_000) + "\npg_restore: error: the end");

    String tail = PgRestoreStderr.tail(file, 100);

    assertThat(tail).startsWith("...").endsWith("pg_restore: error: the end").hasSize(103);
  }
}
