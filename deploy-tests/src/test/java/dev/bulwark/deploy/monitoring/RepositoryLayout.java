package dev.bulwark.deploy.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the chart and the services' sources are, from the module the tests run in. */
final class RepositoryLayout {

  private RepositoryLayout() {}

  /** The repository root: the first directory upwards that holds the chart. */
  static Path root() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("helm/bulwark/Chart.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no helm/bulwark/Chart.yaml above " + start);
  }

  static Path chart() {
    return root().resolve("helm/bulwark");
  }

  /** The alert rules that metrics-service's AlertRulesTests unit-test with promtool. */
  static Path testedAlertRules() {
    return root().resolve("metrics-service/src/main/prometheus/alerts.yaml");
  }
}
