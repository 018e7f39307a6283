package dev.bulwark.failover.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Role labels of member pods, patched on fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class PodRoleLabelsTests {

  static KubernetesClient client;

  private static void pod(String name) {
    client
        .pods()
        .inNamespace("db")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", "pipeline-db")
                .endMetadata()
                .build())
        .create();
  }

  private static Map<String, String> labels(String pod) {
    return client.pods().inNamespace("db").withName(pod).get().getMetadata().getLabels();
  }

  @Test
  void aFailoverRelabelsTheNewPrimaryPrimaryAndTheOldOneFenced() {
    pod("pg-0");
    pod("pg-1");
    PodRoleLabels labels =
        new PodRoleLabels(
            client,
            Map.of(
                "pipeline",
                Map.of(
                    "node1", new PodRoleLabels.PodRef("db", "pg-0"),
                    "node2", new PodRoleLabels.PodRef("db", "pg-1"))));

    labels.publish("pipeline", Map.of("node1", "primary", "node2", "standby"));

    assertThat(labels("pg-0")).containsEntry(PodRoleLabels.LABEL, "primary");
    assertThat(labels("pg-1")).containsEntry(PodRoleLabels.LABEL, "standby");

    labels.publish("pipeline", Map.of("node1", "fenced", "node2", "primary"));

    assertThat(labels("pg-0"))
        .containsEntry(PodRoleLabels.LABEL, "fenced")
        .as("a merge patch keeps the pod's other labels")
        .containsEntry("app", "pipeline-db");
    assertThat(labels("pg-1")).containsEntry(PodRoleLabels.LABEL, "primary");
    assertThat(
            client
                .pods()
                .inNamespace("db")
                .withLabel(PodRoleLabels.LABEL, "primary")
                .list()
                .getItems())
        .extracting(p -> p.getMetadata().getName())
        .as("a Service selecting the primary finds exactly the new one")
        .containsExactly("pg-1");
  }

  @Test
  void membersWithoutAPodAndOtherGroupsAreLeftAlone() {
    pod("other-0");
    PodRoleLabels labels =
        new PodRoleLabels(
            client, Map.of("pipeline", Map.of("node1", new PodRoleLabels.PodRef("db", "other-0"))));

    labels.publish("elsewhere", Map.of("node1", "primary"));
    labels.publish("pipeline", Map.of("node9", "primary"));

    assertThat(labels("other-0")).doesNotContainKey(PodRoleLabels.LABEL);
  }
}
