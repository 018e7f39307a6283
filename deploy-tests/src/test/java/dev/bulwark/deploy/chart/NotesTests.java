package dev.bulwark.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NOTES.txt tells the operator how to reach each installed service and how to get a token. */
class NotesTests {

  @Test
  void showsAPortForwardPerInstalledServiceAndHowToMintAToken(@TempDir Path work) {
    String notes = Chart.notes(work, "failoverService.enabled", "false");

    assertThat(notes)
        .contains("kubectl -n bulwark port-forward svc/bulwark-budget-service 8081:8080 9081:9000")
        .contains("kubectl -n bulwark port-forward svc/bulwark-metrics-service 8082:8080 9082:9000")
        .contains("kubectl -n bulwark port-forward svc/bulwark-backup-service 8083:8080 9083:9000")
        .doesNotContain("bulwark-failover-service")
        .contains("Secret\nbulwark-jwt (key public.pem)")
        .contains("export BULWARK_TOKEN=$(BULWARK_JWT_ISSUER=bulwark scripts/token operator)");
  }

  @Test
  void namesEveryServicesApiAndReadinessAndTheIngressHosts(@TempDir Path work) {
    String notes =
        Chart.notes(
            work,
            "jwt.issuer",
            "https://auth.example.com/bulwark",
            "ingress.enabled",
            "true",
            "ingress.hosts[0].host",
            "backup.bulwark.example.com",
            "ingress.hosts[0].service",
            "backup-service",
            "ingress.tls[0].secretName",
            "bulwark-tls",
            "ingress.tls[0].hosts[0]",
            "backup.bulwark.example.com");

    String[][] services = {
      {"budget-service", "8081", "9081"},
      {"metrics-service", "8082", "9082"},
      {"backup-service", "8083", "9083"},
      {"failover-service", "8084", "9084"}
    };
    for (String[] s : services) {
      assertThat(notes)
          .contains(
              "# %s: http://127.0.0.1:%s/api/v1, http://127.0.0.1:%s/q/health/ready"
                  .formatted(s[0], s[1], s[2]))
          .contains(
              "kubectl -n bulwark port-forward svc/bulwark-%s %s:8080 %s:9000"
                  .formatted(s[0], s[1], s[2]));
    }
    assertThat(notes)
        .contains("https://backup.bulwark.example.com/api/v1  ->  backup-service")
        .contains("iss \"https://auth.example.com/bulwark\"")
        .contains("BULWARK_JWT_ISSUER=https://auth.example.com/bulwark scripts/token operator");
  }
}
