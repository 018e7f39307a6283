package dev.bulwark.failover.leadership;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.HashMap;
import java.util.Map;

/**
 * Labels member pods {@code bulwark.dev/role=primary|standby|fenced} with a JSON merge patch, so
 * that a Service selecting {@code bulwark.dev/role=primary} follows the primary and never picks a
 * fenced former one. Patches only what changed since its last successful patch (and everything at
 * start); a failed patch is tried again on the next check.
 */
public final class PodRoleLabels implements RoleLabels {

  public static final String LABEL = "bulwark.dev/role";

  /** A member's pod: its namespace and name. */
  public record PodRef(String namespace, String name) {}

  private final KubernetesClient client;
  private final Map<String, Map<String, PodRef>> podsByGroup;
  private final Map<PodRef, String> patched = new HashMap<>();

  public PodRoleLabels(KubernetesClient client, Map<String, Map<String, PodRef>> podsByGroup) {
    this.client = client;
    this.podsByGroup = Map.copyOf(podsByGroup);
  }

  @Override
  public synchronized void publish(String group, Map<String, String> roleByMember) {
    Map<String, PodRef> pods = podsByGroup.getOrDefault(group, Map.of());
    roleByMember.forEach(
        (member, role) -> {
          PodRef pod = pods.get(member);
          if (pod == null || role.equals(patched.get(pod))) {
            return;
          }
          client
              .pods()
              .inNamespace(pod.namespace())
              .withName(pod.name())
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"" + role + "\"}}}");
          patched.put(pod, role);
        });
  }
}
