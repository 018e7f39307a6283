package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart passes {@code helm lint --strict}, renders, and carries the project's version. */
class ChartLintTests {

  @Test
  void lintsStrictlyWithDefaultValues() {
    LintResult lint = Chart.lintStrict();

    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void lintsStrictlyWithProductionValues(@TempDir Path work) {
    LintResult lint = Chart.lintStrict(work, Chart.readYaml(Chart.PRODUCTION_VALUES));

    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void rendersEveryServiceWithDefaultAndProductionValues() {
    for (RenderedChart rendered : new RenderedChart[] {Renders.DEFAULTS, Renders.PRODUCTION}) {
      assertThat(rendered.all(Deployment.class))
          .extracting(d -> d.getMetadata().getName())
          .containsExactlyInAnyOrderElementsOf(
              RenderedChart.SERVICES.stream().map(RenderedChart::name).toList());
    }
  }

  @Test
  void aDisabledServiceIsNotInstalled() {
    RenderedChart rendered = Chart.render(null, "backupService.enabled", "false");

    assertThat(rendered.objects())
        .noneMatch(o -> o.getMetadata().getName().equals(RenderedChart.name("backup-service")));
    assertThat(rendered.has(Deployment.class, "budget-service")).isTrue();
  }

  @Test
  void appVersionIsTheProjectVersion() throws IOException {
    String pom = Files.readString(Chart.DIR.getParent().getParent().resolve("pom.xml"));
    Matcher version =
        Pattern.compile("<artifactId>bulwark-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(version.find()).as("the root pom's version").isTrue();

    assertThat(Chart.readYaml(Chart.DIR.resolve("Chart.yaml")).get("appVersion"))
        .isEqualTo(version.group(1));
  }
}
