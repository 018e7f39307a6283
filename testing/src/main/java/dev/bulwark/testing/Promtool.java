package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prometheus's promtool ({@code PROMTOOL}, else {@code PATH}; Debian's {@code prometheus} package
 * has it), run with its output captured: a test fails, saying how to install it, when it is
 * missing.
 */
public final class Promtool {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Promtool() {}

  /** One finished run: the command, its exit code, stdout and stderr together. */
  public record Run(List<String> command, int exitCode, String output) {
    /** The command, its exit code and output, for an assertion's description. */
    public String describe() {
      return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
    }
  }

  /** Runs promtool with {@code args} in the current directory. */
  public static Run run(String... args) throws IOException, InterruptedException {
    return runIn(Path.of("").toAbsolutePath(), args);
  }

  /** Runs promtool with {@code args} in {@code directory} (relative paths in rule tests). */
  public static Run runIn(Path directory, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile("promtool", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        fail("%s did not finish within %s", String.join(" ", command), TIMEOUT);
      }
      return new Run(
          command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static Path binary() {
    String configured = System.getenv("PROMTOOL");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        fail("PROMTOOL=%s is not an executable file", configured);
      }
      return path;
    }
    String searchPath = System.getenv().getOrDefault("PATH", "");
    return Stream.of(searchPath.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "promtool"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseGet(
            () ->
                fail(
                    "promtool is not on PATH (%s) and PROMTOOL is not set: rules and queries"
                        + " cannot be checked. Install it with `apt-get install prometheus` or set"
                        + " PROMTOOL to its path.",
                    searchPath));
  }
}
