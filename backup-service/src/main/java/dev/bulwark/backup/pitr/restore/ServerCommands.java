package dev.bulwark.backup.pitr.restore;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs PostgreSQL's server tools for a restore. The server refuses to run as root: when the service
 * is root (a session, CI), they run as the {@code postgres} user and it owns the data directory.
 */
final class ServerCommands {

  static final String SERVER_USER = "postgres";

  private ServerCommands() {}

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  static List<String> asServerUser(List<String> command) {
    if (!root()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SERVER_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Hands {@code path} to the server user when we are root. */
  static void giveToServerUser(Path path) throws IOException {
    if (!root()) {
      return;
    }
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(lookup.lookupPrincipalByName(SERVER_USER));
    view.setGroup(lookup.lookupPrincipalByGroupName(SERVER_USER));
  }

  /**
   * Runs a command to its end; its output is returned, or is the message of the failure.
   *
   * @throws RecoveryFailed when it fails or outlives {@code timeout}
   */
  static String run(String what, List<String> command, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("pitr-", ".out");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new RecoveryFailed(what + " ran longer than " + timeout);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new RecoveryFailed(
            what + " failed (exit " + process.exitValue() + "): " + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new RecoveryFailed("cannot run " + what + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RecoveryFailed(what + " was interrupted");
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a temporary file of a few lines
        }
      }
    }
  }
}
