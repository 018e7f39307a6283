package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The chart's own version is SemVer and docs/deploy.md names the one it describes. */
class ChartVersionTests {

  @Test
  void theChartVersionIsSemVerAndTheDeployGuideNamesIt() throws IOException {
    String version = (String) Chart.readYaml(Chart.DIR.resolve("Chart.yaml")).get("version");
    String guide = Files.readString(Chart.DIR.resolve("../../docs/deploy.md").normalize());

    assertThat(version).matches("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
    assertThat(guide).contains("`version` (now `" + version + "`)");
  }
}
