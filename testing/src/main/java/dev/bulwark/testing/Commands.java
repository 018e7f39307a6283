package dev.bulwark.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs PostgreSQL's tools as subprocesses, as the {@code postgres} user when we are root. */
final class Commands {

  static final String POSTGRES_USER = "postgres";

  private Commands() {}

  /** PostgreSQL refuses to run as root, which sessions and CI are: drop to the postgres user. */
  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static List<String> asServerUser(List<String> command) {
    if (!runningAsRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", POSTGRES_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Runs a command to completion and returns its output; fails with the output when it fails. */
  static String run(List<String> command, Duration timeout) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      // Drain output on a separate thread so a chatty tool cannot block on a full pipe.
      StringBuilder out = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try {
                  out.append(
                      new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                  // the process died; its exit code tells the story
                }
              });
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
      }
      reader.join(5_000);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "failed (exit " + process.exitValue() + "): " + String.join(" ", command) + "\n" + out);
      }
      return out.toString();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  /** Hands a directory we created to the server user, so that initdb and postgres can write it. */
  static void giveToServerUser(Path dir) throws IOException {
    if (!runningAsRoot()) {
      return;
    }
    UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    view.setOwner(lookup.lookupPrincipalByName(POSTGRES_USER));
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(POSTGRES_USER);
    view.setGroup(group);
  }
}
