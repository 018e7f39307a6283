package dev.bulwark.backup.pitr.restore;

import dev.bulwark.testing.PostgresBinaries;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixture: starts a restored data directory as an operator would ({@code pg_ctl start}, as the
 * postgres user when root), runs one query, and stops it again by {@code pg_ctl stop}.
 */
final class RestoredDirectory {

  private RestoredDirectory() {}

  /** The rows of {@code sql} (first column), read from the restored server. */
  static List<String> query(Path data, String sql) throws Exception {
    int port = lastPort(data);
    Path log = data.getParent().resolve("operator-start.log");
    run(
        List.of(
            PostgresBinaries.tool("pg_ctl"),
            "-D",
            data.toString(),
            "-l",
            log.toString(),
            "-w",
            "start"));
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    } finally {
      run(
          List.of(
              PostgresBinaries.tool("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "stop"));
    }
  }

  private static int lastPort(Path data) throws IOException {
    Matcher m =
        Pattern.compile("(?m)^port = (\\d+)")
            .matcher(Files.readString(data.resolve("postgresql.auto.conf")));
    int port = -1;
    while (m.find()) {
      port = Integer.parseInt(m.group(1));
    }
    return port;
  }

  private static void run(List<String> command) throws Exception {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
    }
  }
}
