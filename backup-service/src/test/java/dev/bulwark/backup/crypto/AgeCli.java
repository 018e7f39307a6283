package dev.bulwark.backup.crypto;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code age}, {@code age-keygen} and {@code zstd} tools (Debian packages {@code age}
 * and {@code zstd}); a missing tool fails the test saying what to install, never skips it.
 */
final class AgeCli {

  private AgeCli() {}

  /** Runs {@code command} with stdin from {@code input} (or nothing) and returns its stdout. */
  static byte[] run(List<String> command, Path input) {
    requireTool(command.get(0));
    try {
      Path err = Files.createTempFile("age-cli", ".err");
      Path out = Files.createTempFile("age-cli", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectInput(
                    input == null
                        ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(input.toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
          throw new CliFailed(
              String.join(" ", command)
                  + " failed (exit "
                  + process.exitValue()
                  + "): "
                  + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(err);
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs a shell pipeline (the runbook's commands as an operator types them). */
  static byte[] shell(String script, String... tools) {
    for (String tool : tools) {
      requireTool(tool);
    }
    List<String> command = new ArrayList<>(List.of("bash", "-o", "pipefail", "-c", script));
    return run(command, null);
  }

  private static void requireTool(String tool) {
    if (tool.equals("bash")) {
      return;
    }
    String pkg = tool.startsWith("age") ? "age" : tool;
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    throw new AssertionError(
        "`" + tool + "` is not installed; these tests need the real tool: apt-get install " + pkg);
  }

  /** A tool that ran and failed, with its stderr. */
  static final class CliFailed extends AssertionError {
    CliFailed(String message) {
      super(message);
    }
  }
}
