package dev.bulwark.backup.pitr.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checksums taken while a base backup streams into {@code tar -x}, against the {@code
 * backup_manifest} that the real pg_basebackup wrote for it (its CRC-32C, not ours).
 */
class ManifestChecksumsTests {

  private static PostgresCluster cluster;
  private static Path dir;
  private static Map<String, TarFileChecksums.FileSum> sums;

  @BeforeAll
  static void takeABaseBackupAsTar() throws Exception {
    cluster = PostgresCluster.start("manifest-checksums");
    PostgresNode primary = cluster.primary();
    primary.execute(
        "CREATE TABLE t AS SELECT generate_series(1, 50000) AS id, md5(random()::text)");
    dir = Files.createTempDirectory("manifest-checksums-");
    Path tool =
        new PgDumpBinary(Optional.empty(), Path.of("/usr/lib/postgresql"))
            .tool(
                "pg_basebackup",
                Integer.parseInt(primary.queryValue("SHOW server_version_num")) / 10000);
    Process backup =
        new ProcessBuilder(
                tool.toString(),
                "-h",
                primary.host(),
                "-p",
                Integer.toString(primary.port()),
                "-U",
                primary.user(),
                "-Ft",
                "-X",
                "fetch",
                "-c",
                "fast",
                "-D",
                dir.resolve("backup").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("pg_basebackup.log").toFile())
            .start();
    assertThat(backup.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(backup.exitValue()).as(Files.readString(dir.resolve("pg_basebackup.log"))).isZero();
    sums = new HashMap<>();
    try (InputStream tar = Files.newInputStream(dir.resolve("backup/base.tar"));
        OutputStream checksums = new TarFileChecksums(OutputStream.nullOutputStream(), sums)) {
      tar.transferTo(checksums);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void everyFileMatchesTheManifestPgBasebackupWrote() throws Exception {
    assertThat(sums).containsKeys("PG_VERSION", "global/pg_control", "backup_label");
    assertThat(ManifestChecksums.check(manifest(), sums, "b1")).isTrue();
  }

  @Test
  void aChecksumThatDiffersFailsNamingTheFile() throws Exception {
    String text = Files.readString(manifest(), StandardCharsets.UTF_8);
    Matcher control =
        Pattern.compile("(\"Path\": \"global/pg_control\".*?\"Checksum\": \")([0-9a-f]{8})")
            .matcher(text);
    assertThat(control.find()).isTrue();
    String other = control.group(2).equals("00000000") ? "00000001" : "00000000";
    Path altered = dir.resolve("altered-" + UUID.randomUUID());
    Files.writeString(
        altered, text.substring(0, control.start(2)) + other + text.substring(control.end(2)));

    assertThatThrownBy(() -> ManifestChecksums.check(altered, sums, "b1"))
        .isInstanceOf(RecoveryFailed.class)
        .hasMessageContaining("global/pg_control");
  }

  @Test
  void aFileOfTheManifestInNoPieceFailsNamingIt() throws Exception {
    Map<String, TarFileChecksums.FileSum> without = new HashMap<>(sums);
    without.remove("PG_VERSION");

    assertThatThrownBy(() -> ManifestChecksums.check(manifest(), without, "b1"))
        .isInstanceOf(RecoveryFailed.class)
        .hasMessageContaining("PG_VERSION of its backup_manifest is in no piece");
  }

  @Test
  void aManifestWithAnotherAlgorithmLeavesTheChecksumsToPgVerifybackup() throws Exception {
    String text =
        Files.readString(manifest(), StandardCharsets.UTF_8)
            .replace("\"Checksum-Algorithm\": \"CRC32C\"", "\"Checksum-Algorithm\": \"SHA256\"");
    Path other = dir.resolve("sha256-" + UUID.randomUUID());
    Files.writeString(other, text);

    assertThat(ManifestChecksums.check(other, sums, "b1")).isFalse();
  }

  private static Path manifest() {
    return dir.resolve("backup/backup_manifest");
  }
}
