package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The real runs are metrics-service's tests against budget-service; here, the refusals. */
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
}
