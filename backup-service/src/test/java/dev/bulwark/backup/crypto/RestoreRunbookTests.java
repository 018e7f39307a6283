package dev.bulwark.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.PostgresBinaries;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/runbooks/restore.md's commands, run as written against a real dump and PostgreSQL. */
class RestoreRunbookTests {

  @TempDir Path dir;

  @Test
  void aStoredDumpRestoresWithAgeZstdAndPgRestoreAlone() throws Exception {
    AgeIdentity identity = AgeKeys.generate();
    try (PostgresCluster cluster = PostgresCluster.start("restore-runbook")) {
      PostgresNode db = cluster.primary();
      db.execute(
          "CREATE TABLE leads (id int PRIMARY KEY, homepage text);"
              + " INSERT INTO leads SELECT i, 'https://example.com/' || i"
              + " FROM generate_series(1, 50000) i");
      Path stored = dir.resolve("backup.zst.age");
      StreamTotals totals = dumpThroughBackupStreams(db, identity.recipient(), stored);
      db.createDatabase("restored");
      Path keyFile = dir.resolve("identity.txt");
      Files.writeString(keyFile, "# created by age-keygen\n" + identity.secretString() + "\n");
      String pgRestore = PostgresBinaries.tool("pg_restore");

      String check =
          new String(
              AgeCli.shell(
                  String.format(
                      "age -d -i '%s' '%s' | zstd -d > /dev/null && echo intact", keyFile, stored),
                  "age",
                  "zstd"),
              StandardCharsets.UTF_8);
      AgeCli.shell(
          String.format(
              "age -d -i '%s' '%s' | zstd -d | '%s' --dbname '%s' --no-owner --exit-on-error",
              keyFile, stored, pgRestore, url(db, "restored")),
          "age",
          "zstd");

      assertThat(check).isEqualTo("intact\n");
      assertThat(totals.storedBytes()).isEqualTo(Files.size(stored));
      assertThat(db.queryValue("restored", "SELECT count(*) || ' ' || max(homepage) FROM leads"))
          .isEqualTo("50000 https://example.com/9999");
    }
  }

  private StreamTotals dumpThroughBackupStreams(
      PostgresNode db, AgeRecipient recipient, Path stored) throws Exception {
    Path stderr = dir.resolve("pg_dump.err");
    Process dump =
        new ProcessBuilder(
                List.of(
                    PostgresBinaries.tool("pg_dump"),
                    "--format=custom",
                    "--compress=0",
                    "--dbname=" + url(db, "postgres")))
            .redirectError(stderr.toFile())
            .start();
    EncryptedBackupOutput backup;
    try (InputStream out = dump.getInputStream()) {
      backup =
          BackupStreams.encrypt(Files.newOutputStream(stored), recipient, new ZstdSettings(3, 2));
      try (backup) {
        out.transferTo(backup);
      }
    }
    assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dump.exitValue()).as(Files.readString(stderr)).isZero();
    return backup.totals();
  }

  private static String url(PostgresNode db, String database) {
    return "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + database;
  }
}
