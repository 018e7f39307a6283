package dev.bulwark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the machine's PostgreSQL server binaries: {@code PG_BIN}, else {@code pg_config --bindir},
 * else the newest {@code /usr/lib/postgresql/<major>/bin}.
 */
public final class PostgresBinaries {

  static final String INSTALL_HINT =
      "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found. Install them with"
          + " 'apt-get install postgresql' (Debian/Ubuntu), or point PG_BIN at the directory that"
          + " holds initdb.";

  private static volatile Path cached;

  private PostgresBinaries() {}

  /** The directory that holds {@code initdb}, {@code pg_ctl} and friends. */
  public static Path bindir() {
    Path dir = cached;
    if (dir == null) {
      dir = locate().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
      cached = dir;
    }
    return dir;
  }

  /** Absolute path of one PostgreSQL tool, such as {@code pg_basebackup}. */
  public static String tool(String name) {
    Path tool = bindir().resolve(name);
    if (!Files.isExecutable(tool)) {
      throw new IllegalStateException(name + " is missing from " + bindir() + ". " + INSTALL_HINT);
    }
    return tool.toString();
  }

  static Optional<Path> locate() {
    return locate(System.getenv("PG_BIN"));
  }

  /** The search with {@code PG_BIN} set to {@code env} (null: unset). */
  static Optional<Path> locate(String env) {
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(PostgresBinaries::hasServer);
    }
    return fromPgConfig().or(PostgresBinaries::newestUnderUsrLib);
  }

  private static Optional<Path> fromPgConfig() {
    try {
      Process process =
          new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes()).trim();
      if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return Optional.of(Path.of(out)).filter(PostgresBinaries::hasServer);
      }
    } catch (IOException e) {
      // no pg_config on PATH: fall through to the Debian layout
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private static Optional<Path> newestUnderUsrLib() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .max(Comparator.comparingDouble(p -> Double.parseDouble(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .filter(PostgresBinaries::hasServer);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean hasServer(Path dir) {
    return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
  }
}
