package dev.bulwark.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.deploy.YamlDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with the real {@code kubectl kustomize}, as an operator would. */
final class Kustomize {

  private static final long TIMEOUT_SECONDS = 60;

  private Kustomize() {}

  /** The objects {@code kubectl kustomize dir} prints; fails with kubectl's stderr otherwise. */
  static List<JsonNode> render(Path dir) {
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("kustomize-", ".yaml");
      stderr = Files.createTempFile("kustomize-", ".err");
      Process process;
      try {
        process =
            new ProcessBuilder("kubectl", "kustomize", dir.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
      } catch (IOException e) {
        throw new AssertionError(
            "kubectl is needed to render k8s/ (it carries kustomize); install kubectl 1.27 or"
                + " newer and put it on PATH",
            e);
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "kubectl kustomize " + dir + " ran over " + TIMEOUT_SECONDS + " s");
      }
      String errors = Files.readString(stderr, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize " + dir + " exited " + process.exitValue() + ": " + errors);
      }
      return YamlDocuments.parse(Files.readString(stdout, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while kubectl ran", e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
