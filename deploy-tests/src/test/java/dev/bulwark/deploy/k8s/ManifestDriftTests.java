package dev.bulwark.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.deploy.BuildOutput;
import dev.bulwark.deploy.YamlDocuments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed {@code k8s/base/<service>.yaml} files are the build's quarkus-kubernetes output,
 * unchanged: a setting changed in application.properties without regenerating them fails here.
 */
class ManifestDriftTests {

  private static final List<String> VCS_ANNOTATIONS =
      List.of("app.quarkus.io/commit-id", "app.quarkus.io/vcs-uri");
  private static final String FIX = "run scripts/k8s-regenerate and commit k8s/base";

  static Stream<String> services() {
    return BuildOutput.services();
  }

  @ParameterizedTest
  @MethodSource("services")
  void committedBaseIsTheBuildsOutput(String service) {
    Path committed = BuildOutput.root().resolve("k8s/base/" + service + ".yaml");
    assertThat(committed).as("k8s/base/%s.yaml (%s)", service, FIX).isRegularFile();

    List<JsonNode> expected =
        normalised(YamlDocuments.read(BuildOutput.generatedManifests(service)));
    List<JsonNode> actual = normalised(YamlDocuments.read(committed));

    assertThat(expected).as("generated objects").isNotEmpty();
    assertThat(actual)
        .as(
            "k8s/base/%s.yaml differs from %s/target/kubernetes/kubernetes.yml: %s",
            service, service, FIX)
        .isEqualTo(expected);
  }

  /**
   * Without what changes between two builds of the same sources: the commit id and repository URL
   * that quarkus-kubernetes adds in a plain clone (not in a worktree; scripts/k8s-regenerate drops
   * them), and the order of named lists (ports, env, volumes), which it does not keep stable.
   */
  private static List<JsonNode> normalised(List<JsonNode> documents) {
    for (JsonNode document : documents) {
      for (JsonNode metadata :
          List.of(
              document.path("metadata"), document.path("spec").path("template").path("metadata"))) {
        if (metadata.path("annotations") instanceof ObjectNode annotations) {
          annotations.remove(VCS_ANNOTATIONS);
        }
      }
      sortNamedLists(document);
    }
    return documents;
  }

  private static void sortNamedLists(JsonNode node) {
    node.forEach(ManifestDriftTests::sortNamedLists);
    if (node instanceof ArrayNode array
        && !array.isEmpty()
        && StreamSupport.stream(array.spliterator(), false)
            .allMatch(e -> e.isObject() && e.path("name").isTextual())) {
      List<JsonNode> sorted = new ArrayList<>();
      array.forEach(sorted::add);
      sorted.sort(Comparator.comparing(e -> e.path("name").asText()));
      array.removeAll();
      array.addAll(sorted);
    }
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
