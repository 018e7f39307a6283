package dev.bulwark.backup.dumps;

import dev.bulwark.backup.config.BackupConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the {@code pg_dump} (and {@code pg_restore}) to run for a server: {@code
 * bulwark.backup.pg-bin}, else Debian's {@code /usr/lib/postgresql/<major>/bin} of the server's
 * major, else {@code pg_config --bindir}, else the newest {@code /usr/lib/postgresql/*}{@code
 * /bin}.
 */
@ApplicationScoped
public class PgDumpBinary {

  static final String INSTALL_HINT =
      "install the PostgreSQL client tools of the server's major version (apt-get install"
          + " postgresql-client) or set bulwark.backup.pg-bin to the directory holding pg_dump and"
          + " pg_restore";

  private final Optional<Path> configured;
  private final Path debianRoot;

  @Inject
  public PgDumpBinary(BackupConfig config) {
    this(config.pgBin().filter(s -> !s.isBlank()).map(Path::of), Path.of("/usr/lib/postgresql"));
  }

  /** A locator with an explicit directory, or none (tests and tools). */
  public PgDumpBinary(Optional<Path> configured, Path debianRoot) {
    this.configured = configured;
    this.debianRoot = debianRoot;
  }

  /**
   * The pg_dump for a server of major version {@code major}.
   *
   * @throws IllegalStateException saying what to install when there is none
   */
  public Path forMajor(int major) {
    // pg_dump refuses servers newer than itself; the server's own major is the safe pick.
    return tool("pg_dump", major);
  }

  /**
   * The pg_restore for archives and servers up to major version {@code major}, found the same way.
   *
   * @throws IllegalStateException saying what to install when there is none
   */
  public Path pgRestoreForMajor(int major) {
    return tool("pg_restore", major);
  }

  /**
   * The client tool {@code name} (pg_receivewal, pg_basebackup, ...) for a server of {@code major},
   * found as above.
   */
  public Path tool(String name, int major) {
    Optional<Path> dir =
        configured
            .or(() -> Optional.of(debianRoot.resolve(Integer.toString(major)).resolve("bin")))
            .filter(d -> has(d, name))
            .or(() -> fromPgConfig(name))
            .or(() -> newest(name));
    return dir.filter(d -> has(d, name))
        .map(d -> d.resolve(name))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no " + name + " for PostgreSQL " + major + " was found: " + INSTALL_HINT));
  }

  private static boolean has(Path dir, String tool) {
    return Files.isExecutable(dir.resolve(tool));
  }

  private static Optional<Path> fromPgConfig(String tool) {
    try {
      Process process =
          new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return Optional.of(Path.of(out.strip())).filter(d -> has(d, tool));
      }
    } catch (IOException e) {
      // no pg_config on PATH: fall through to the newest installed major
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private Optional<Path> newest(String tool) {
    if (!Files.isDirectory(debianRoot)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(debianRoot)) {
      return versions
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
          .map(p -> p.resolve("bin"))
          .filter(d -> has(d, tool));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
