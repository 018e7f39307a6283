package dev.bulwark.failover;

import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline databases failover-service watches in tests: one real PostgreSQL primary with
 * streaming standbys per group, apart from the cluster that holds its own store. Each test that
 * breaks a group has a group of its own, so that the application starts once for all of them.
 * Members are named {@code node1} (the primary), {@code node2}, ...
 */
public final class PipelinePairs implements QuarkusTestResourceLifecycleManager {

  /** Group name, how many standbys, check period. */
  private record Spec(String group, int standbys, String period) {}

  private static final List<Spec> GROUPS =
      List.of(
          new Spec("crash", 1, "100ms"),
          new Spec("blip", 1, "1s"),
          new Spec("lagging", 1, "100ms"),
          new Spec("twin", 1, "100ms"),
          new Spec("resume", 2, "100ms"),
          new Spec("store", 1, "100ms"),
          new Spec("cooldown", 2, "100ms"),
          // Drills (DrillTests): a switchover, a simulated primary loss, the refusals.
          new Spec("drill", 1, "100ms"),
          new Spec("drillloss", 1, "100ms"),
          new Spec("drillrefused", 1, "100ms"),
          new Spec("haproxy", 1, "100ms"),
          // A standby promoted by hand while the group's monitor was down (HandPromotionTests).
          new Spec("byhand", 1, "100ms"),
          new Spec("byhandboth", 1, "100ms"));

  private final Map<String, PostgresCluster> clusters = new TreeMap<>();

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    try {
      for (Spec spec : GROUPS) {
        PostgresCluster cluster = PostgresCluster.start("fo-" + spec.group());
        clusters.put(spec.group(), cluster);
        for (int i = 0; i < spec.standbys(); i++) {
          cluster.addStandby();
        }
        String prefix = "bulwark.failover.groups." + spec.group() + ".";
        config.put(prefix + "kind", "postgres");
        config.put(prefix + "period", spec.period());
        config.put(prefix + "timeout", "1s");
        config.put(prefix + "username", cluster.primary().user());
        List<PostgresNode> nodes =
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(cluster.primary()), cluster.standbys().stream())
                .toList();
        for (int i = 0; i < nodes.size(); i++) {
          config.put(
              prefix + "members.node" + (i + 1) + ".url", nodes.get(i).reactiveUrl("postgres"));
        }
      }
      // A tcp group on the ports of the blip pair: up is a connect, the first member is primary.
      PostgresCluster blip = clusters.get("blip");
      config.put("bulwark.failover.groups.tcp.kind", "tcp");
      config.put("bulwark.failover.groups.tcp.period", "200ms");
      config.put(
          "bulwark.failover.groups.tcp.members.node1.url",
          "tcp://127.0.0.1:" + blip.primary().port());
      config.put(
          "bulwark.failover.groups.tcp.members.node2.url",
          "tcp://127.0.0.1:" + blip.standbys().get(0).port());
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    return config;
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        new Pipeline(clusters),
        new TestInjector.AnnotatedAndMatchesType(InjectPipeline.class, Pipeline.class));
  }

  @Override
  public void stop() {
    clusters.values().forEach(PostgresCluster::close);
    clusters.clear();
  }

  /** The pipeline clusters by group. */
  public record Pipeline(Map<String, PostgresCluster> clusters) {

    public PostgresCluster group(String group) {
      return clusters.get(group);
    }

    /** Member {@code nodeN} of a group: node1 the first primary, then the standbys. */
    public PostgresNode member(String group, String member) {
      PostgresCluster cluster = group(group);
      int index = Integer.parseInt(member.substring("node".length()));
      return index == 1 ? cluster.primary() : cluster.standbys().get(index - 2);
    }
  }
}
