package dev.bulwark.deploy.monitoring;

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
 * Prometheus's promtool, found as metrics-service's AlertRulesTests finds it ({@code PROMTOOL},
 * else {@code PATH}; Debian's {@code prometheus} package has it), run with its output captured.
 */
final class Promtool {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private Promtool() {}

  /** One finished run: the command, its exit code, stdout and stderr together. */
  record Run(List<String> command, int exitCode, String output) {
    String describe() {
      return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
    }
  }

  static Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile("promtool", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
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
                    "promtool is not on PATH (%s) and PROMTOOL is not set: the dashboards' and"
                        + " rules' queries cannot be checked. Install it with `apt-get install"
                        + " prometheus` or set PROMTOOL to its path.",
                    searchPath));
  }
}
