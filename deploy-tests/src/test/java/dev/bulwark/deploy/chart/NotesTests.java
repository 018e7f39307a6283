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
}
