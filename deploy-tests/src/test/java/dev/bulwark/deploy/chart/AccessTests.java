package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Who may reach each service (NetworkPolicies, Ingress) and what failover-service may do. */
class AccessTests {

  /** The chart's own callers of each service. */
  private static final Map<String, List<String>> CALLERS =
      Map.of(
          "budget-service", List.of("metrics-service"),
          "failover-service", List.of("backup-service"),
          "metrics-service", List.of(),
          "backup-service", List.of());

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void admitsOnlyCallersClientNamespacesAndPrometheus(
      String values, RenderedChart rendered, String service) {
    NetworkPolicy policy = rendered.of(NetworkPolicy.class, service);
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();

    assertThat(policy.getSpec().getPodSelector())
        .isEqualTo(rendered.of(Deployment.class, service).getSpec().getSelector());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(rules).hasSize(2);
    assertThat(ports(rules.get(0))).containsExactly("http");
    assertThat(rules.get(0).getFrom())
        .extracting(NetworkPolicyPeer::getNamespaceSelector, NetworkPolicyPeer::getPodSelector)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(
                        tuple(labels(Map.of("bulwark.dev/client", "true")), null)),
                    CALLERS.get(service).stream()
                        .map(
                            caller ->
                                tuple(
                                    null,
                                    rendered.of(Deployment.class, caller).getSpec().getSelector())))
                .toList());
    assertThat(ports(rules.get(1))).containsExactly("management");
    assertThat(rules.get(1).getFrom())
        .singleElement()
        .satisfies(
            prometheus -> {
              assertThat(prometheus.getNamespaceSelector())
                  .isEqualTo(labels(Map.of("kubernetes.io/metadata.name", "monitoring")));
              assertThat(prometheus.getPodSelector())
                  .isEqualTo(labels(Map.of("app.kubernetes.io/name", "prometheus")));
            });
  }

  @Test
  void aDisabledCallerIsNotAdmitted() {
    RenderedChart rendered = Chart.render(null, "metricsService.enabled", "false");

    assertThat(
            rendered
                .of(NetworkPolicy.class, "budget-service")
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom())
        .extracting(NetworkPolicyPeer::getPodSelector)
        .containsOnlyNulls();
  }

  @Test
  void failoverServiceMayOnlyHoldLeasesAndRelabelPods() {
    RenderedChart rendered = Renders.DEFAULTS;
    Role role = rendered.of(Role.class, "failover-service");
    RoleBinding binding = rendered.of(RoleBinding.class, "failover-service");

    assertThat(role.getRules())
        .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs)
        .containsExactlyInAnyOrder(
            tuple(
                List.of("coordination.k8s.io"),
                List.of("leases"),
                List.of("get", "list", "watch", "create", "update", "patch")),
            tuple(List.of(""), List.of("pods"), List.of("get", "list", "patch")));
    assertThat(role.getRules())
        .allSatisfy(rule -> assertThat(rule.getResourceNames()).isNullOrEmpty());
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .extracting(s -> s.getKind(), s -> s.getName(), s -> s.getNamespace())
        .containsExactly(
            tuple("ServiceAccount", RenderedChart.name("failover-service"), Chart.NAMESPACE));
    assertThat(rendered.all(Role.class)).hasSize(1);
    assertThat(rendered.all(RoleBinding.class)).hasSize(1);
    assertThat(rendered.all(ClusterRole.class)).isEmpty();
  }

  @Test
  void backupServiceGetsAScratchClaimPerPod() {
    for (RenderedChart rendered : List.of(Renders.DEFAULTS, Renders.PRODUCTION)) {
      var pod = rendered.of(Deployment.class, "backup-service").getSpec().getTemplate().getSpec();
      var mount =
          rendered.container("backup-service").getVolumeMounts().stream()
              .filter(m -> m.getName().equals("scratch"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no scratch mount"));
      var claim =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals("scratch"))
              .findFirst()
              .orElseThrow()
              .getEphemeral()
              .getVolumeClaimTemplate()
              .getSpec();

      assertThat(claim.getAccessModes()).containsExactly("ReadWriteOnce");
      assertThat(mount.getMountPath()).isEqualTo("/var/lib/bulwark/scratch");
      assertThat(rendered.config("backup-service").getData())
          .containsEntry("TMPDIR", mount.getMountPath());
      if (rendered == Renders.PRODUCTION) {
        assertThat(claim.getResources().getRequests().get("storage").toString()).isEqualTo("100Gi");
        assertThat(claim.getStorageClassName()).isEqualTo("fast-ssd");
      } else {
        assertThat(claim.getResources().getRequests().get("storage").toString()).isEqualTo("20Gi");
        assertThat(claim.getStorageClassName()).as("the cluster's default class").isNull();
      }
    }
    for (String other : List.of("budget-service", "metrics-service", "failover-service")) {
      assertThat(
              Renders.DEFAULTS
                  .of(Deployment.class, other)
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getVolumes())
          .noneMatch(v -> v.getEphemeral() != null || v.getPersistentVolumeClaim() != null);
    }
  }

  @Test
  void noIngressUnlessEnabled() {
    assertThat(Renders.DEFAULTS.all(Ingress.class)).isEmpty();
  }

  @Test
  void theIngressRoutesEachHostToOneServicesApiOverTls() {
    Ingress ingress = Renders.PRODUCTION.all(Ingress.class).get(0);

    assertThat(Renders.PRODUCTION.all(Ingress.class)).hasSize(1);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(
            tls -> {
              assertThat(tls.getSecretName()).isEqualTo("bulwark-tls");
              assertThat(tls.getHosts())
                  .containsExactlyElementsOf(
                      ingress.getSpec().getRules().stream().map(IngressRule::getHost).toList());
            });
    assertThat(ingress.getSpec().getRules())
        .extracting(
            IngressRule::getHost,
            r -> r.getHttp().getPaths().get(0).getPath(),
            r -> r.getHttp().getPaths().get(0).getBackend().getService().getName(),
            r -> r.getHttp().getPaths().get(0).getBackend().getService().getPort().getName())
        .containsExactly(
            tuple(
                "budget.bulwark.example.com", "/api", RenderedChart.name("budget-service"), "http"),
            tuple(
                "metrics.bulwark.example.com",
                "/api",
                RenderedChart.name("metrics-service"),
                "http"),
            tuple(
                "backup.bulwark.example.com",
                "/api",
                RenderedChart.name("backup-service"),
                "http"));
  }

  private static List<String> ports(NetworkPolicyIngressRule rule) {
    return rule.getPorts().stream()
        .map(NetworkPolicyPort::getPort)
        .map(p -> p.getStrVal())
        .toList();
  }

  private static LabelSelector labels(Map<String, String> matchLabels) {
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(matchLabels);
    return selector;
  }
}
