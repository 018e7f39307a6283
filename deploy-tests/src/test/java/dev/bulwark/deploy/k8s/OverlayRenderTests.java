package dev.bulwark.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.deploy.BuildOutput;
import dev.bulwark.deploy.YamlDocuments;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl kustomize k8s/overlays/<env>} renders, and what it renders is a deployment a
 * platform team would accept: probes on the management port, hardened pods, secrets by reference,
 * bounded resources, and replicas only where a service is safe with several.
 */
class OverlayRenderTests {

  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|SECRET|TOKEN|KEY|IDENTITY|CREDENTIAL).*");

  /** budget-service and metrics-service keep no state outside PostgreSQL (DESIGN.md). */
  private static final List<String> SCALE_OUT = List.of("budget-service", "metrics-service");

  private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

  static Stream<String> overlays() {
    return Stream.of("dev", "prod");
  }

  /** A rendered overlay, each object parsed into fabric8's model. */
  private record Rendered(String namespace, List<HasMetadata> objects) {

    Deployment deployment(String name) {
      return find(Deployment.class, name);
    }

    Service service(String name) {
      return find(Service.class, name);
    }

    private <T extends HasMetadata> T find(Class<T> type, String name) {
      return objects.stream()
          .filter(type::isInstance)
          .map(type::cast)
          .filter(o -> o.getMetadata().getName().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }
  }

  private static Rendered render(String overlay) {
    // Rendered once per overlay: each test reads its own part of the same output.
    return RENDERED.computeIfAbsent(overlay, OverlayRenderTests::renderNow);
  }

  private static Rendered renderNow(String overlay) {
    Path dir = BuildOutput.root().resolve("k8s/overlays/" + overlay);
    String namespace =
        YamlDocuments.read(dir.resolve("kustomization.yaml")).get(0).path("namespace").asText();
    List<JsonNode> documents = Kustomize.render(dir);
    List<HasMetadata> objects =
        documents.stream()
            // as JSON text: fabric8 8 reads with Jackson 3, which does not know a Jackson 2 tree
            .map(d -> KUBERNETES.unmarshal(d.toString(), HasMetadata.class))
            .toList();
    return new Rendered(namespace, objects);
  }

  private static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).as("containers of %s", deployment.getMetadata().getName()).hasSize(1);
    return containers.get(0);
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rendersEveryServiceIntoTheOverlaysOwnNamespace(String overlay) {
    Rendered rendered = render(overlay);

    assertThat(rendered.namespace())
        .as("the overlay's namespace")
        .isNotBlank()
        .isNotEqualTo("default");
    assertThat(rendered.objects())
        .as("objects fabric8 does not know")
        .noneMatch(GenericKubernetesResource.class::isInstance);
    for (String service : BuildOutput.SERVICES) {
      assertThat(rendered.deployment(service)).isNotNull();
      assertThat(rendered.service(service)).isNotNull();
    }
    for (HasMetadata object : rendered.objects()) {
      String where =
          object instanceof Namespace
              ? object.getMetadata().getName()
              : object.getMetadata().getNamespace();
      assertThat(where)
          .as("namespace of %s %s", object.getKind(), object.getMetadata().getName())
          .isEqualTo(rendered.namespace());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void probesTheManagementPortAsTheChartDoes(String overlay) {
    Rendered rendered = render(overlay);
    for (String service : BuildOutput.SERVICES) {
      Container container = container(rendered.deployment(service));
      assertProbe(container.getLivenessProbe(), "/q/health/live", container, service);
      assertThat(container.getLivenessProbe().getPeriodSeconds()).isEqualTo(10);
      assertProbe(container.getReadinessProbe(), "/q/health/ready", container, service);
      assertThat(container.getReadinessProbe().getPeriodSeconds()).isEqualTo(5);
      assertThat(container.getReadinessProbe().getFailureThreshold()).isEqualTo(2);
      assertProbe(container.getStartupProbe(), "/q/health/started", container, service);
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void servicesReachHttpAndManagement(String overlay) {
    Rendered rendered = render(overlay);
    for (String service : BuildOutput.SERVICES) {
      Container container = container(rendered.deployment(service));
      List<Integer> targets =
          rendered.service(service).getSpec().getPorts().stream()
              .map(ServicePort::getTargetPort)
              .map(target -> targetPort(container, target))
              .toList();

      // management too: Prometheus scrapes /q/metrics there through the Service's endpoints.
      assertThat(targets)
          .as("%s Service target ports", service)
          .containsExactlyInAnyOrder(port(container, "http"), port(container, "management"));
      // Peers call http://<service>:8080 (metrics-service's budget-service URL, for one).
      assertThat(rendered.service(service).getSpec().getPorts())
          .filteredOn(p -> "http".equals(p.getName()))
          .extracting(ServicePort::getPort)
          .containsExactly(port(container, "http"));
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void podsRunAsUid1000WithNothingWritableButTmp(String overlay) {
    Rendered rendered = render(overlay);
    for (String service : BuildOutput.SERVICES) {
      PodSpec pod = rendered.deployment(service).getSpec().getTemplate().getSpec();
      Container container = container(rendered.deployment(service));

      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
      assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1000L);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      String tmpVolume =
          container.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals("/tmp"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(service + " mounts nothing on /tmp"))
              .getName();
      assertThat(pod.getVolumes())
          .anySatisfy(
              v -> {
                assertThat(v.getName()).isEqualTo(tmpVolume);
                assertThat(v.getEmptyDir()).isNotNull();
              });
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void secretsComeFromTheServicesSecretByName(String overlay) {
    Rendered rendered = render(overlay);
    for (String service : BuildOutput.SERVICES) {
      Container container = container(rendered.deployment(service));

      assertThat(container.getEnvFrom())
          .as("%s envFrom", service)
          .anySatisfy(
              e -> {
                assertThat(e.getSecretRef()).isNotNull();
                assertThat(e.getSecretRef().getName()).isEqualTo(service + "-secrets");
              });
      assertThat(container.getEnv())
          .as("%s env values that look like secrets", service)
          .noneMatch(e -> SECRET_NAME.matcher(e.getName()).matches() && e.getValue() != null);
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void requestsAndLimitsStayWithin2CpuAnd4Gi(String overlay) {
    Rendered rendered = render(overlay);
    for (String service : BuildOutput.SERVICES) {
      var resources = container(rendered.deployment(service)).getResources();
      for (Map<String, Quantity> bounds : List.of(resources.getRequests(), resources.getLimits())) {
        assertThat(bounds).as("%s requests and limits", service).containsKeys("cpu", "memory");
      }
      assertThat(Quantity.getAmountInBytes(resources.getLimits().get("cpu")))
          .isLessThanOrEqualTo(new BigDecimal("2"));
      assertThat(Quantity.getAmountInBytes(resources.getLimits().get("memory")))
          .isLessThanOrEqualTo(new BigDecimal(4L * 1024 * 1024 * 1024));
      for (String resource : List.of("cpu", "memory")) {
        assertThat(Quantity.getAmountInBytes(resources.getRequests().get(resource)))
            .as("%s %s request within its limit", service, resource)
            .isLessThanOrEqualTo(Quantity.getAmountInBytes(resources.getLimits().get(resource)));
      }
    }
  }

  @Test
  void prodScalesOutOnlyTheServicesSafeWithSeveralReplicas() {
    Rendered prod = render("prod");
    for (String service : BuildOutput.SERVICES) {
      int replicas = prod.deployment(service).getSpec().getReplicas();
      if (SCALE_OUT.contains(service)) {
        assertThat(replicas).as("%s replicas", service).isGreaterThanOrEqualTo(2);
      } else {
        // failover-service leads through one Lease; backup-service's scratch space is one volume.
        assertThat(replicas).as("%s replicas", service).isEqualTo(1);
      }
    }
  }

  @Test
  void prodRunsReleasedImagesAndDevTheSnapshot() {
    Rendered prod = render("prod");
    Rendered dev = render("dev");
    for (String service : BuildOutput.SERVICES) {
      String prodImage = container(prod.deployment(service)).getImage();
      String devImage = container(dev.deployment(service)).getImage();

      assertThat(prodImage)
          .as("prod image")
          .contains("/" + service + ":")
          .doesNotEndWith(":latest")
          .doesNotContain("SNAPSHOT");
      assertThat(devImage).as("dev image").contains("/" + service + ":").endsWith("-SNAPSHOT");
      assertThat(dev.deployment(service).getSpec().getReplicas()).as("dev replicas").isEqualTo(1);
    }
  }

  private static void assertProbe(Probe probe, String path, Container container, String service) {
    assertThat(probe).as("%s probe on %s", service, path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(targetPort(container, probe.getHttpGet().getPort()))
        .as("%s probe on %s: port", service, path)
        .isEqualTo(port(container, "management"));
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  private static int targetPort(Container container, IntOrString target) {
    return target.getIntVal() != null ? target.getIntVal() : port(container, target.getStrVal());
  }
}
