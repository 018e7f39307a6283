package dev.bulwark.backup.pitr.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Directories of one PITR test under {@code target/pitr-tests}: absolute, since restores hand them
 * to PostgreSQL servers running as another user, and removed with all they hold at the end.
 */
final class PitrTestDirectories {

  private PitrTestDirectories() {}

  /** A new, empty directory of its own. */
  static Path create() throws IOException {
    return Files.createDirectories(
        Path.of("target", "pitr-tests", UUID.randomUUID().toString()).toAbsolutePath());
  }

  /** Deletes {@code root} and everything below it; nothing when it is absent. */
  static void delete(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
