package dev.bulwark.failover;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode as the application's Kubernetes: leadership by Leases, and
 * pods {@code haproxy-node1}/{@code haproxy-node2} for the members of group {@code haproxy}, so
 * that every engine test runs under Lease leadership and a failover relabels real pod objects.
 */
public final class KubernetesApi implements QuarkusTestResourceLifecycleManager {

  public static final String NAMESPACE = "bulwark";
  public static final String IDENTITY = "failover-service-0";

  private KubernetesMockServer server;
  private KubernetesClient client;

  @Override
  public Map<String, String> start() {
    server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
    for (String member : new String[] {"node1", "node2"}) {
      client
          .pods()
          .inNamespace(NAMESPACE)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("haproxy-" + member)
                  .addToLabels("app", "pipeline-db")
                  .endMetadata()
                  .build())
          .create();
    }
    return Map.of(
        // The mock server logs every request at INFO in the application's log: keep it quiet.
        "quarkus.log.category.\"io.fabric8.mockwebserver\".level",
        "WARN",
        "bulwark.failover.leadership",
        "kubernetes",
        "bulwark.failover.kubernetes.master-url",
        client.getMasterUrl().toString(),
        "bulwark.failover.kubernetes.namespace",
        NAMESPACE,
        "bulwark.failover.kubernetes.identity",
        IDENTITY,
        "bulwark.failover.groups.haproxy.members.node1.pod",
        "haproxy-node1",
        "bulwark.failover.groups.haproxy.members.node2.pod",
        "haproxy-node2");
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        client,
        new TestInjector.AnnotatedAndMatchesType(InjectKubernetes.class, KubernetesClient.class));
  }

  @Override
  public void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
    }
  }
}
