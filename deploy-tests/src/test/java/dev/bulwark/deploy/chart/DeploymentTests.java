package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.math.BigDecimal;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's Deployment, Service and ServiceAccount: probes, ports, hardening, resources and
 * the rollout, with default and with production values.
 */
class DeploymentTests {

  private static final BigDecimal MAX_CPU = new BigDecimal("2");
  private static final BigDecimal MAX_MEMORY_BYTES = BigDecimal.valueOf(4L * 1024 * 1024 * 1024);

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void probesTheHealthEndpointsOnTheManagementPort(
      String values, RenderedChart rendered, String service) {
    Container container = rendered.container(service);

    assertThat(container.getPorts())
        .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("http", 8080),
            org.assertj.core.groups.Tuple.tuple("management", 9000));
    assertProbe(container.getLivenessProbe(), "/q/health/live", 10);
    assertProbe(container.getReadinessProbe(), "/q/health/ready", 5);
    assertThat(container.getReadinessProbe().getFailureThreshold()).isEqualTo(2);
    Probe startup = container.getStartupProbe();
    assertProbe(startup, "/q/health/started", startup.getPeriodSeconds());
    assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
        .as("seconds a first start (migrations included) may take")
        .isGreaterThanOrEqualTo(120);
  }

  private static void assertProbe(Probe probe, String path, int periodSeconds) {
    assertThat(probe).as(path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).as(path + " port").isEqualTo("management");
    assertThat(probe.getPeriodSeconds()).as(path + " period").isEqualTo(periodSeconds);
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void theServiceExposesTheApiAndTheManagementPort(
      String values, RenderedChart rendered, String service) {
    Service svc = rendered.of(Service.class, service);

    assertThat(svc.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort, p -> p.getTargetPort().getStrVal())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("http", 8080, "http"),
            org.assertj.core.groups.Tuple.tuple("management", 9000, "management"));
    assertThat(svc.getSpec().getSelector())
        .isEqualTo(rendered.of(Deployment.class, service).getSpec().getSelector().getMatchLabels());
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void runsAsNonRootOnAReadOnlyRootWithoutPrivileges(
      String values, RenderedChart rendered, String service) {
    PodSpec pod = rendered.of(Deployment.class, service).getSpec().getTemplate().getSpec();
    PodSecurityContext podContext = pod.getSecurityContext();
    SecurityContext containerContext = rendered.container(service).getSecurityContext();

    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isEqualTo(1000L);
    assertThat(podContext.getRunAsGroup()).isEqualTo(1000L);
    assertThat(podContext.getFsGroup()).isEqualTo(1000L);
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(containerContext.getAllowPrivilegeEscalation()).isFalse();
    assertThat(containerContext.getReadOnlyRootFilesystem()).isTrue();
    assertThat(containerContext.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(containerContext.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(containerContext.getPrivileged()).isNotEqualTo(Boolean.TRUE);
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void writesOnlyToAnEmptyDirAtTmpAndItsOwnVolumes(
      String values, RenderedChart rendered, String service) {
    PodSpec pod = rendered.of(Deployment.class, service).getSpec().getTemplate().getSpec();
    Map<String, String> mounts =
        rendered.container(service).getVolumeMounts().stream()
            .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));

    assertThat(mounts).containsKey("/tmp");
    assertThat(volumes.get(mounts.get("/tmp")).getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    assertThat(rendered.container(service).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().startsWith("/etc/bulwark"))
        .allMatch(VolumeMount::getReadOnly, "configuration mounts are read-only");
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void requestsAndLimitsStayWithinTwoCpusAndFourGibibytes(
      String values, RenderedChart rendered, String service) {
    var resources = rendered.container(service).getResources();

    for (Map<String, Quantity> list :
        java.util.List.of(resources.getRequests(), resources.getLimits())) {
      assertThat(list).containsKeys("cpu", "memory");
      assertThat(Quantity.getAmountInBytes(list.get("cpu"))).isLessThanOrEqualTo(MAX_CPU);
      assertThat(Quantity.getAmountInBytes(list.get("memory")))
          .isLessThanOrEqualTo(MAX_MEMORY_BYTES);
    }
    for (String resource : new String[] {"cpu", "memory"}) {
      assertThat(Quantity.getAmountInBytes(resources.getRequests().get(resource)))
          .as("%s request within its limit", resource)
          .isLessThanOrEqualTo(Quantity.getAmountInBytes(resources.getLimits().get(resource)));
    }
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void rollsOutOnePodAtATimeWithoutDroppingCapacity(
      String values, RenderedChart rendered, String service) {
    var strategy = rendered.of(Deployment.class, service).getSpec().getStrategy();

    assertThat(strategy.getType()).isEqualTo("RollingUpdate");
    assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void onlyFailoverServiceGetsAnApiToken(String values, RenderedChart rendered, String service) {
    boolean needsApi = service.equals("failover-service");
    PodSpec pod = rendered.of(Deployment.class, service).getSpec().getTemplate().getSpec();
    ServiceAccount account = rendered.of(ServiceAccount.class, service);

    assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
    assertThat(pod.getAutomountServiceAccountToken()).isEqualTo(needsApi);
    assertThat(account.getAutomountServiceAccountToken()).isEqualTo(needsApi);
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void imageComesFromValuesWithTheAppVersionAsDefaultTag(
      String values, RenderedChart rendered, String service) {
    Container container = rendered.container(service);
    String expected =
        values.equals("default")
            ? "bulwark/"
                + service
                + ":"
                + Chart.readYaml(Chart.DIR.resolve("Chart.yaml")).get("appVersion")
            : "registry.example.com/bulwark/" + service + ":0.1.0";

    assertThat(container.getImage()).isEqualTo(expected);
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
  }
}
