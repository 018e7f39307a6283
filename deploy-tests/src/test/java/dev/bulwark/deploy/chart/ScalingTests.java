package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Who scales out (HPAs) and how far voluntary disruptions may go (PDBs). */
class ScalingTests {

  private static final List<String> SCALE_OUT = List.of("budget-service", "metrics-service");

  @ParameterizedTest(name = "{0} values")
  @MethodSource("dev.bulwark.deploy.chart.Renders#both")
  void onlyBudgetAndMetricsServiceAutoscaleAtSeventyPercentCpu(
      String values, RenderedChart rendered) {
    assertThat(rendered.all(HorizontalPodAutoscaler.class))
        .extracting(h -> h.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(SCALE_OUT.stream().map(RenderedChart::name).toList());
    for (String service : SCALE_OUT) {
      HorizontalPodAutoscaler hpa = rendered.of(HorizontalPodAutoscaler.class, service);
      assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
      assertThat(hpa.getSpec().getScaleTargetRef().getName())
          .isEqualTo(RenderedChart.name(service));
      assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
      assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
      assertThat(hpa.getSpec().getMetrics())
          .singleElement()
          .satisfies(
              metric -> {
                assertThat(metric.getType()).isEqualTo("Resource");
                assertThat(metric.getResource().getName()).isEqualTo("cpu");
                assertThat(metric.getResource().getTarget().getType()).isEqualTo("Utilization");
                assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
              });
      assertThat(rendered.of(Deployment.class, service).getSpec().getReplicas())
          .as("the HPA owns the replica count of %s", service)
          .isNull();
    }
  }

  @Test
  void withoutAutoscalingTheReplicaCountHolds() {
    RenderedChart rendered =
        Chart.render(
            null, "budgetService.autoscaling.enabled", "false", "budgetService.replicaCount", "3");

    assertThat(rendered.has(HorizontalPodAutoscaler.class, "budget-service")).isFalse();
    assertThat(rendered.of(Deployment.class, "budget-service").getSpec().getReplicas())
        .isEqualTo(3);
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void eachServiceHasADisruptionBudgetThatFitsItsReplicas(
      String values, RenderedChart rendered, String service) {
    PodDisruptionBudget pdb = rendered.of(PodDisruptionBudget.class, service);
    Deployment deployment = rendered.of(Deployment.class, service);
    int fewest =
        rendered.has(HorizontalPodAutoscaler.class, service)
            ? rendered.of(HorizontalPodAutoscaler.class, service).getSpec().getMinReplicas()
            : deployment.getSpec().getReplicas();

    assertThat(pdb.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector());
    if (fewest > 1) {
      assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
      assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
    } else {
      // minAvailable 1 on a single replica would block every node drain.
      assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
      assertThat(pdb.getSpec().getMinAvailable()).isNull();
    }
  }

  @Test
  void singleAndSeveralReplicasAreBothCovered() {
    assertThat(
            Renders.DEFAULTS
                .of(PodDisruptionBudget.class, "backup-service")
                .getSpec()
                .getMaxUnavailable())
        .isNotNull();
    assertThat(
            Renders.PRODUCTION
                .of(PodDisruptionBudget.class, "backup-service")
                .getSpec()
                .getMinAvailable())
        .isNotNull();
  }
}
