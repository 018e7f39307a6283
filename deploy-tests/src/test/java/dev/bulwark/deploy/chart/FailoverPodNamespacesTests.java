package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * failover-service relabels its groups' pods where they live: a member's namespace reaches the
 * service, and each namespace other than the release's gets a Role that allows only pods'
 * get/list/patch there, bound to failover-service's ServiceAccount in the release's namespace.
 */
class FailoverPodNamespacesTests {

  private static final String PODS_ROLE = RenderedChart.name("failover-service") + "-pods";

  @Test
  void aMembersNamespaceReachesFailoverService() {
    assertThat(Renders.PRODUCTION.config("failover-service").getData())
        .containsEntry("BULWARK_FAILOVER_GROUPS_PIPELINE_MEMBERS_NODE1_NAMESPACE", "data")
        .containsEntry("BULWARK_FAILOVER_GROUPS_PIPELINE_MEMBERS_NODE2_NAMESPACE", "data");
    assertThat(Renders.DEFAULTS.config("failover-service").getData().keySet())
        .noneMatch(key -> key.endsWith("_NAMESPACE"));
  }

  @Test
  void theMembersNamespaceGetsARoleForItsPodsOnly() {
    Role role = only(Renders.PRODUCTION.all(Role.class), "data");
    RoleBinding binding = onlyBinding(Renders.PRODUCTION.all(RoleBinding.class), "data");

    assertThat(role.getMetadata().getName()).isEqualTo(PODS_ROLE);
    assertThat(role.getRules())
        .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs)
        .containsExactly(tuple(List.of(""), List.of("pods"), List.of("get", "list", "patch")));
    assertThat(binding.getRoleRef().getName()).isEqualTo(PODS_ROLE);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getSubjects())
        .extracting(s -> s.getKind(), s -> s.getName(), s -> s.getNamespace())
        .containsExactly(
            tuple("ServiceAccount", RenderedChart.name("failover-service"), Chart.NAMESPACE));
    // Two members in one namespace: one Role there, and the release's own Role beside it.
    assertThat(Renders.PRODUCTION.all(Role.class)).hasSize(2);
    assertThat(Renders.DEFAULTS.all(Role.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly(RenderedChart.name("failover-service"));
  }

  @Test
  void listedNamespacesJoinTheMembersOnesAndTheReleasesOwnIsLeftOut() {
    RenderedChart rendered =
        Chart.render(
            Chart.PRODUCTION_VALUES,
            "failoverService.rbac.podNamespaces[0]",
            "web",
            "failoverService.rbac.podNamespaces[1]",
            "data",
            "failoverService.rbac.podNamespaces[2]",
            Chart.NAMESPACE);

    assertThat(rendered.all(Role.class))
        .filteredOn(r -> r.getMetadata().getName().equals(PODS_ROLE))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactly("data", "web");
    assertThat(rendered.all(RoleBinding.class))
        .filteredOn(r -> r.getMetadata().getName().equals(PODS_ROLE))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactly("data", "web");
  }

  @Test
  void noRbacMeansNoRoleInAnyNamespace() {
    RenderedChart rendered =
        Chart.render(Chart.PRODUCTION_VALUES, "failoverService.rbac.create", "false");

    assertThat(rendered.all(Role.class)).isEmpty();
    assertThat(rendered.all(RoleBinding.class)).isEmpty();
  }

  @Test
  void refusesANamespaceKubernetesWouldNot() {
    assertThatThrownBy(
            () ->
                Chart.template(
                    Chart.PRODUCTION_VALUES,
                    "failoverService.groups.pipeline.members.node1.namespace",
                    "Data_NS"))
        .hasMessageContaining(
            "- failoverService.groups.pipeline.members.node1.namespace: Does not match pattern");
    assertThatThrownBy(
            () ->
                Chart.template(
                    null,
                    "failoverService.rbac.podNamespaces[0]",
                    "ok",
                    "failoverService.rbac.podNamespaces[1]",
                    "Not_OK"))
        .hasMessageContaining("- failoverService.rbac.podNamespaces.1: Does not match pattern");
  }

  private static Role only(List<Role> roles, String namespace) {
    List<Role> there =
        roles.stream().filter(r -> namespace.equals(r.getMetadata().getNamespace())).toList();
    assertThat(there).as("Roles in namespace %s", namespace).hasSize(1);
    return there.get(0);
  }

  private static RoleBinding onlyBinding(List<RoleBinding> bindings, String namespace) {
    List<RoleBinding> there =
        bindings.stream().filter(r -> namespace.equals(r.getMetadata().getNamespace())).toList();
    assertThat(there).as("RoleBindings in namespace %s", namespace).hasSize(1);
    return there.get(0);
  }
}
