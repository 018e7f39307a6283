package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The objects of one {@code helm template} run, each parsed into its fabric8 model class. */
record RenderedChart(List<HasMetadata> objects) {

  static final List<String> SERVICES =
      List.of("budget-service", "metrics-service", "backup-service", "failover-service");

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  /** Every document must be a Kubernetes object fabric8 knows, with no field it does not know. */
  static RenderedChart parse(String manifest) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(manifest)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      KubernetesResource parsed = Serialization.unmarshal(document);
      assertThat(parsed)
          .as("a rendered document of a kind fabric8 models:%n%s", document)
          .isInstanceOf(HasMetadata.class)
          .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
      assertThat(UnknownFields.of(parsed))
          .as("fields the Kubernetes API does not have, in:%n%s", document)
          .isEmpty();
      objects.add((HasMetadata) parsed);
    }
    return new RenderedChart(List.copyOf(objects));
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The object of that kind named {@code <release>-<service>}; fails when there is none. */
  <T extends HasMetadata> T of(Class<T> kind, String service) {
    String name = name(service);
    return all(kind).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
  }

  boolean has(Class<? extends HasMetadata> kind, String service) {
    return all(kind).stream().anyMatch(o -> o.getMetadata().getName().equals(name(service)));
  }

  Container container(String service) {
    return of(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  ConfigMap config(String service) {
    return of(ConfigMap.class, service);
  }

  static String name(String service) {
    return Chart.RELEASE + "-" + service;
  }
}
