package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real runs are metrics-service's tests against budget-service (and deploy-tests' pods through
 * {@link ServiceProcess#launch}); here, the refusals and what launch promises of any command.
 */
class ServiceProcessTests {

  @Test
  void aModuleWithoutItsBuiltJarIsRefusedWithWhatToBuild() {
    // common is a module of the repository but never a Quarkus application
    assertThatThrownBy(() -> ServiceProcess.of("common").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("common/target/quarkus-app/quarkus-run.jar is missing")
        .hasMessageContaining("./mvnw -pl common -am package -DskipTests");
  }

  @Test
  void anUnknownModuleIsRefused() {
    assertThatThrownBy(() -> ServiceProcess.of("no-such-service").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no module no-such-service above ");
  }

  @Test
  void aLaunchedCommandGetsExactlyItsEnvironmentLogsAndIsStoppedByItsPid(@TempDir Path dir)
      throws Exception {
    Path log = dir.resolve("logs").resolve("sleeper.log");
    ServiceProcess.Launched launched =
        ServiceProcess.launch(
            "sleeper",
            List.of(
                "/bin/sh", "-c", "echo \"greeting=$GREETING home=${HOME:-unset}\"; exec sleep 60"),
            dir,
            Map.of("GREETING", "hello"),
            log);
    try {
      await("the command's output in its log")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(launched.log()).contains("greeting=hello home=unset"));
      assertThat(launched.isRunning()).isTrue();
      assertThat(launched.logFile()).isEqualTo(log);
      assertThat(log.resolveSibling("sleeper.owner"))
          .as("the owner file, for reaping if this JVM is killed")
          .content()
          .isEqualTo(ProcessHandle.current().pid() + " " + launched.pid() + "\n");
    } finally {
      launched.close();
    }
    assertThat(launched.isRunning()).isFalse();
    assertThat(ProcessHandle.of(launched.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(Files.exists(log.resolveSibling("sleeper.owner"))).isFalse();
  }
}
