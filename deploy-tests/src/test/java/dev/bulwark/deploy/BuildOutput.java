package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the services' sources and build output are, seen from the deploy-tests module. */
public final class BuildOutput {

  /** The four services, in the reactor's order. */
  public static final List<String> SERVICES =
      List.of("budget-service", "metrics-service", "backup-service", "failover-service");

  private BuildOutput() {}

  /** The services, as arguments of a parameterized test. */
  public static Stream<String> services() {
    return SERVICES.stream();
  }

  /** The repository's root: the first directory up from here that holds the Maven wrapper. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository root (holding mvnw) above %s", Path.of("")).isNotNull();
    return dir;
  }

  /** A service's module directory, which is also its image's build context. */
  public static Path module(String service) {
    return root().resolve(service);
  }

  /** The Quarkus fast-jar that {@code ./mvnw package} writes for a service. */
  public static Path quarkusApp(String service) {
    return built(service, "target/quarkus-app");
  }

  /** The manifests that quarkus-kubernetes writes for a service at {@code package}. */
  public static Path generatedManifests(String service) {
    return built(service, "target/kubernetes/kubernetes.yml");
  }

  private static Path built(String service, String relative) {
    Path path = module(service).resolve(relative);
    // Run alone, this module finds no build output unless the services were packaged before.
    assertThat(path)
        .as(
            "%s is missing: build the service first (./mvnw -pl %s -am package -DskipTests)",
            root().relativize(path), service)
        .exists();
    return path;
  }
}
