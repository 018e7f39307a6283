package dev.bulwark.failover.leadership;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.config.FailoverConfig.LeadershipMode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Chooses how replicas coordinate: in Kubernetes (configured, or {@code auto} inside a pod) a Lease
 * per group and pod role labels; elsewhere the store alone and no labels. The client is made only
 * in Kubernetes, so that the service starts anywhere without a cluster.
 */
@ApplicationScoped
public class Coordination {

  private final Optional<KubernetesClient> client;
  private final Leadership leadership;
  private final RoleLabels labels;

  public Coordination(FailoverConfig config, OutageLog outages) {
    if (!inKubernetes(config.leadership())) {
      client = Optional.empty();
      leadership = new StoreLeadership();
      labels = RoleLabels.NONE;
      return;
    }
    FailoverConfig.Kubernetes k8s = config.kubernetes();
    KubernetesClientBuilder builder = new KubernetesClientBuilder();
    k8s.masterUrl()
        .ifPresent(
            url ->
                builder.withConfig(
                    new ConfigBuilder(Config.autoConfigure(null)).withMasterUrl(url).build()));
    KubernetesClient kubernetes = builder.build();
    client = Optional.of(kubernetes);
    String namespace =
        k8s.namespace().or(() -> Optional.ofNullable(kubernetes.getNamespace())).orElse("default");
    String identity =
        k8s.identity()
            .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "set bulwark.failover.kubernetes.identity (the pod name) for the Lease"));
    Map<String, LeaseElector> electors = new TreeMap<>();
    Map<String, Map<String, PodRoleLabels.PodRef>> pods = new TreeMap<>();
    config
        .groups()
        .forEach(
            (group, g) -> {
              electors.put(
                  group,
                  new LeaseElector(
                      kubernetes,
                      namespace,
                      LeaseLeadership.leaseName(group),
                      identity,
                      k8s.leaseDuration(),
                      k8s.renewDeadline()));
              Map<String, PodRoleLabels.PodRef> members = new TreeMap<>();
              g.members()
                  .forEach(
                      (member, m) ->
                          m.pod()
                              .ifPresent(
                                  pod ->
                                      members.put(
                                          member,
                                          new PodRoleLabels.PodRef(
                                              m.namespace().orElse(namespace), pod))));
              pods.put(group, members);
            });
    leadership = new LeaseLeadership(electors, k8s.retryPeriod(), outages);
    labels = new PodRoleLabels(kubernetes, pods);
  }

  private static boolean inKubernetes(LeadershipMode mode) {
    return switch (mode) {
      case KUBERNETES -> true;
      case STORE -> false;
      // The API server's address that kubelet gives every pod.
      case AUTO -> System.getenv("KUBERNETES_SERVICE_HOST") != null;
    };
  }

  public Leadership leadership() {
    return leadership;
  }

  public RoleLabels labels() {
    return labels;
  }

  @PreDestroy
  void close() {
    leadership.close();
    client.ifPresent(KubernetesClient::close);
  }
}
