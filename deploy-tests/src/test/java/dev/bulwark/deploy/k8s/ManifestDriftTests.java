package dev.bulwark.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.deploy.BuildOutput;
import dev.bulwark.deploy.YamlDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed {@code k8s/base/<service>.yaml} files are the build's quarkus-kubernetes output,
 * unchanged: a setting changed in application.properties without regenerating them fails here.
 */
class ManifestDriftTests {

  private static final String FIX = "run scripts/k8s-regenerate and commit k8s/base";

  static Stream<String> services() {
    return BuildOutput.services();
  }

  @ParameterizedTest
  @MethodSource("services")
  void committedBaseIsTheBuildsOutput(String service) {
    Path committed = BuildOutput.root().resolve("k8s/base/" + service + ".yaml");
    assertThat(committed).as("k8s/base/%s.yaml (%s)", service, FIX).isRegularFile();

    List<JsonNode> expected = YamlDocuments.read(BuildOutput.generatedManifests(service));
    List<JsonNode> actual = YamlDocuments.read(committed);

    assertThat(expected).as("generated objects").isNotEmpty();
    assertThat(actual)
        .as(
            "k8s/base/%s.yaml differs from %s/target/kubernetes/kubernetes.yml: %s",
            service, service, FIX)
        .isEqualTo(expected);
  }

  @Test
  void baseKustomizationListsEveryServicesManifest() {
    JsonNode kustomization =
        YamlDocuments.read(BuildOutput.root().resolve("k8s/base/kustomization.yaml")).get(0);
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));

    assertThat(resources)
        .containsExactlyInAnyOrderElementsOf(
            BuildOutput.SERVICES.stream().map(s -> s + ".yaml").toList());
  }
}
