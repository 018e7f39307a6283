package dev.bulwark.backup.pitr.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a failed restore leaves behind: its scratch directory (staged WAL, and the data directory
 * unless the operator named one) is removed, and an operator's directory is emptied again (it was
 * empty or absent before). What cannot be removed is marked with {@value #MARKER}, so that nobody
 * starts a half-restored server by mistake.
 */
final class HalfRestored {

  static final String MARKER = "BULWARK-RESTORE-FAILED";

  private HalfRestored() {}

  static void discard(
      Path scratch, Optional<Path> directory, boolean directoryExisted, Exception why) {
    directory.ifPresent(
        d -> {
          if (directoryExisted) {
            emptyOrMark(d, why);
          } else {
            removeOrMark(d, why);
          }
        });
    removeOrMark(scratch, why);
  }

  private static void removeOrMark(Path dir, Exception why) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      emptyTree(dir);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      mark(dir, why, e);
    }
  }

  private static void emptyOrMark(Path dir, Exception why) {
    try {
      emptyTree(dir);
    } catch (IOException e) {
      mark(dir, why, e);
    }
  }

  private static void emptyTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void mark(Path dir, Exception why, IOException cleanup) {
    why.addSuppressed(cleanup);
    try {
      Files.writeString(
          dir.resolve(MARKER),
          "This restore failed and could not be removed: do not start it.\n"
              + why.getMessage()
              + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      why.addSuppressed(e);
    }
  }
}
