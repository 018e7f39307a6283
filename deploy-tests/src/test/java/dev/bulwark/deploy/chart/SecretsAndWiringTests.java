package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Settings reach each service as the chart promises: secrets only by reference, everything else
 * from the service's ConfigMap, and the services find each other by this release's Service names.
 */
class SecretsAndWiringTests {

  private static final Set<String> DATASOURCE =
      Set.of(
          "QUARKUS_DATASOURCE_JDBC_URL",
          "QUARKUS_DATASOURCE_REACTIVE_URL",
          "QUARKUS_DATASOURCE_USERNAME",
          "QUARKUS_DATASOURCE_PASSWORD");

  @ParameterizedTest(name = "{0} values")
  @MethodSource("dev.bulwark.deploy.chart.Renders#both")
  void theChartMakesNoSecret(String values, RenderedChart rendered) {
    assertThat(rendered.all(Secret.class)).isEmpty();
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void everyEnvironmentVariableComesFromASecretReference(
      String values, RenderedChart rendered, String service) {
    Container container = rendered.container(service);

    assertThat(container.getEnv())
        .as("literal settings belong in the ConfigMap, secrets in Secrets")
        .allSatisfy(
            env -> {
              assertThat(env.getValue()).as(env.getName()).isNull();
              assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
            });
    assertThat(rendered.config(service).getData().keySet())
        .noneMatch(key -> key.matches(".*(PASSWORD|SECRET|TOKEN|IDENTITY|ACCESS_KEY).*"));
  }

  @Test
  void eachServiceReadsExactlyItsSecrets() {
    RenderedChart rendered = Renders.PRODUCTION;

    assertThat(secretEnv(rendered, "budget-service")).containsOnlyKeys(DATASOURCE);
    assertThat(secretEnv(rendered, "failover-service").keySet())
        .containsAll(DATASOURCE)
        .contains("BULWARK_FAILOVER_GROUPS_PIPELINE_PASSWORD")
        .hasSize(DATASOURCE.size() + 1);
    Map<String, SecretKeySelector> metrics = secretEnv(rendered, "metrics-service");
    assertThat(metrics.keySet())
        .containsAll(DATASOURCE)
        .contains(
            "BULWARK_METRICS_SPEND_TOKEN",
            "BULWARK_SENDGRID_VERIFICATION_KEY",
            "BULWARK_SNS_USERNAME",
            "BULWARK_SNS_PASSWORD",
            "BULWARK_METRICS_DATABASES_PIPELINE_PASSWORD")
        .hasSize(DATASOURCE.size() + 5);
    assertThat(metrics.get("BULWARK_METRICS_DATABASES_PIPELINE_PASSWORD"))
        .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
        .containsExactly("bulwark-pipeline-db", "monitor-password");
    Map<String, SecretKeySelector> backup = secretEnv(rendered, "backup-service");
    assertThat(backup.keySet())
        .containsAll(DATASOURCE)
        .contains(
            "BULWARK_BACKUP_STORAGE_ACCESS_KEY_ID",
            "BULWARK_BACKUP_STORAGE_SECRET_ACCESS_KEY",
            "BULWARK_BACKUP_AGE_RECIPIENT",
            "BULWARK_BACKUP_AGE_IDENTITY",
            "BULWARK_BACKUP_TARGETS_PIPELINE_PASSWORD",
            "BULWARK_BACKUP_SCRATCH_PASSWORD",
            "BULWARK_BACKUP_FAILOVER_TOKEN")
        .hasSize(DATASOURCE.size() + 7);
    assertThat(backup.get("BULWARK_BACKUP_AGE_RECIPIENT"))
        .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
        .containsExactly("bulwark-backup-age", "recipient");
    assertThat(backup.get("BULWARK_BACKUP_AGE_RECIPIENT").getOptional())
        .as("no backup can be made without the recipient")
        .isNotEqualTo(Boolean.TRUE);
    assertThat(secretEnv(rendered, "budget-service").get("QUARKUS_DATASOURCE_PASSWORD"))
        .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
        .containsExactly("bulwark-database", "password");
  }

  @Test
  void verificationsRestoreIntoTheScratchServerGivenWithItsPasswordFromASecret() {
    Map<String, String> config = Renders.PRODUCTION.config("backup-service").getData();
    assertThat(config)
        .containsEntry(
            "BULWARK_BACKUP_SCRATCH_URL", "postgresql://scratch-db.data.svc:5432/postgres")
        .containsEntry("BULWARK_BACKUP_SCRATCH_USERNAME", "bulwark_verify");
    assertThat(
            secretEnv(Renders.PRODUCTION, "backup-service").get("BULWARK_BACKUP_SCRATCH_PASSWORD"))
        .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
        .containsExactly("bulwark-scratch-db", "password");

    // By default each verification uses its target's own server: nothing about a scratch server.
    assertThat(Renders.DEFAULTS.config("backup-service").getData())
        .doesNotContainKeys("BULWARK_BACKUP_SCRATCH_URL", "BULWARK_BACKUP_SCRATCH_USERNAME");
    assertThat(secretEnv(Renders.DEFAULTS, "backup-service"))
        .doesNotContainKey("BULWARK_BACKUP_SCRATCH_PASSWORD");
  }

  @Test
  void withoutAStorageSecretTheS3KeysComeFromTheSdkChain() {
    RenderedChart rendered = Chart.render(null, "backupService.storage.existingSecret", "");

    assertThat(secretEnv(rendered, "backup-service"))
        .doesNotContainKeys(
            "BULWARK_BACKUP_STORAGE_ACCESS_KEY_ID", "BULWARK_BACKUP_STORAGE_SECRET_ACCESS_KEY");
  }

  @ParameterizedTest(name = "{2} ({0} values)")
  @MethodSource("dev.bulwark.deploy.chart.Renders#everyService")
  void verifiesTokensWithTheMountedPublicKey(
      String values, RenderedChart rendered, String service) {
    Deployment deployment = rendered.of(Deployment.class, service);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    ConfigMap config = rendered.config(service);
    String location = config.getData().get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    var mount =
        rendered.container(service).getVolumeMounts().stream()
            .filter(m -> location.startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + location));
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .get();

    assertThat(rendered.container(service).getEnvFrom())
        .singleElement()
        .satisfies(
            from ->
                assertThat(from.getConfigMapRef().getName())
                    .isEqualTo(config.getMetadata().getName()));
    assertThat(volume.getSecret().getSecretName()).isEqualTo("bulwark-jwt");
    assertThat(volume.getSecret().getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("public.pem");
              assertThat(mount.getMountPath() + "/" + item.getPath()).isEqualTo(location);
            });
    assertThat(config.getData())
        .containsEntry(
            "BULWARK_JWT_ISSUER",
            values.equals("default") ? "bulwark" : "https://auth.example.com/bulwark");
    assertThat(secretEnv(rendered, service)).containsKeys(DATASOURCE.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("dev.bulwark.deploy.chart.Renders#both")
  void metricsServiceCallsThisReleasesBudgetService(String values, RenderedChart rendered) {
    assertThat(rendered.config("metrics-service").getData())
        .containsEntry(
            "QUARKUS_REST_CLIENT_BUDGET_SERVICE_URL", serviceUrl(rendered, "budget-service"));
  }

  @ParameterizedTest(name = "{0} values")
  @MethodSource("dev.bulwark.deploy.chart.Renders#both")
  void backupServiceFindsThisReleasesFailoverService(String values, RenderedChart rendered) {
    assertThat(rendered.config("backup-service").getData())
        .containsEntry(
            "QUARKUS_REST_CLIENT_FAILOVER_SERVICE_URL", serviceUrl(rendered, "failover-service"));
  }

  @Test
  void aPeerUrlFromValuesWins() {
    RenderedChart rendered =
        Chart.render(null, "metricsService.budgetServiceUrl", "http://budget.elsewhere:8080");

    assertThat(rendered.config("metrics-service").getData())
        .containsEntry("QUARKUS_REST_CLIENT_BUDGET_SERVICE_URL", "http://budget.elsewhere:8080");
  }

  @Test
  void backupStorageTargetsAndMonitoredDatabasesComeFromValues() {
    Map<String, String> backup = Renders.PRODUCTION.config("backup-service").getData();
    Map<String, String> metrics = Renders.PRODUCTION.config("metrics-service").getData();

    assertThat(backup)
        .containsEntry("BULWARK_BACKUP_STORAGE_URL", "s3://acme-bulwark-backups/prod")
        .containsEntry("BULWARK_BACKUP_STORAGE_ENDPOINT", "https://s3.eu-central-1.amazonaws.com")
        .containsEntry("BULWARK_BACKUP_STORAGE_REGION", "eu-central-1")
        .containsEntry(
            "BULWARK_BACKUP_TARGETS_PIPELINE_URL",
            "postgresql://pipeline-db.data.svc:5432/pipeline")
        .containsEntry("BULWARK_BACKUP_TARGETS_PIPELINE_USERNAME", "bulwark_backup");
    assertThat(metrics)
        .containsEntry(
            "BULWARK_METRICS_DATABASES_PIPELINE_URL",
            "postgresql://pipeline-db.data.svc:5432/pipeline")
        .containsEntry("BULWARK_METRICS_DATABASES_PIPELINE_TIER", "supabase-pro")
        .containsEntry("BULWARK_METRICS_PIPELINE_DEADLINE", "05:00");
  }

  /** http://<the Service's name>:<its http port>, read from the rendered Service. */
  private static String serviceUrl(RenderedChart rendered, String service) {
    Service svc = rendered.of(Service.class, service);
    int port =
        svc.getSpec().getPorts().stream()
            .filter(p -> p.getName().equals("http"))
            .findFirst()
            .orElseThrow()
            .getPort();
    return "http://" + svc.getMetadata().getName() + ":" + port;
  }

  private static Map<String, SecretKeySelector> secretEnv(RenderedChart rendered, String service) {
    return rendered.container(service).getEnv().stream()
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef()));
  }
}
