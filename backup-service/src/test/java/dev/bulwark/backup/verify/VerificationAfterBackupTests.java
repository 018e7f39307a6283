package dev.bulwark.backup.verify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.api.DecryptingProfile;
import dev.bulwark.backup.api.JobPolling;
import dev.bulwark.backup.api.StoreBackups;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every backup taken with verify-after-backup on ends verified, even one taken mid-verification:
 * its verification starts when the running one ends. The unverified-backups schedule does not fire
 * in tests ({@code %test.bulwark.backup.unverified-check-every=1000d}); the test runs its checks.
 */
@QuarkusTest
@TestProfile(DecryptingProfile.class)
class VerificationAfterBackupTests {

  private static final String VIEWER = TestJwt.token("viewer");

  @InjectPostgres PostgresCluster postgres;
  @Inject UnverifiedBackupSchedule schedule;

  @Test
  void aBackupTakenWhileTheTargetsVerificationRunsIsVerifiedAsSoonAsThatEnds() throws Exception {
    await("no verification of store running")
        .atMost(Duration.ofSeconds(90))
        .until(() -> verifications().stream().noneMatch(job -> job.get("state").equals("running")));
    String first;
    String second;
    try (Connection holder = postgres.primary().connect("postgres");
        Statement statement = holder.createStatement()) {
      // A verification creates its scratch database from template0; CREATE DATABASE waits for
      // this lock on template0, so the first verification runs until the lock is given up.
      holder.setAutoCommit(false);
      statement.execute("COMMENT ON DATABASE template0 IS 'held by VerificationAfterBackupTests'");

      first = StoreBackups.take();
      await("the first backup's verification running")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> verificationOf(first).map(job -> job.get("state")).orElse(""),
              "running"::equals);
      second = StoreBackups.take();

      // The second backup's verification could not start beside the first.
      assertThat(verificationOf(first).orElseThrow().get("state")).isEqualTo("running");
      assertThat(verificationOf(second)).isEmpty();
      schedule.check("2026-01-01T00:00:00Z").await().atMost(Duration.ofSeconds(30));
      assertThat(verificationOf(second)).as("started beside a running verification").isEmpty();

      holder.rollback();
    }
    JsonPath firstVerification = JobPolling.awaitEnd(location(first));
    assertThat(firstVerification.getString("state"))
        .as(firstVerification.prettify())
        .isEqualTo("succeeded");

    // The first one's end starts the second, with no check of the schedule in between.
    await("the second backup's verification started")
        .atMost(Duration.ofSeconds(30))
        .until(() -> verificationOf(second), Optional::isPresent);
    JsonPath secondVerification = JobPolling.awaitEnd(location(second));
    assertThat(secondVerification.getString("state"))
        .as(secondVerification.prettify())
        .isEqualTo("succeeded");
    assertThat(secondVerification.getString("trigger")).isEqualTo("backup");
    Duration startedAfterTheFirstEnded =
        Duration.between(
            Instant.parse(firstVerification.getString("finishedAt")),
            Instant.parse(secondVerification.getString("createdAt")));
    assertThat(startedAfterTheFirstEnded).isBetween(Duration.ZERO, Duration.ofSeconds(10));
    assertThat(verifications().stream().filter(job -> second.equals(job.get("backupId"))))
        .as("one verification of the second backup")
        .hasSize(1);
    for (String backupId : List.of(first, second)) {
      assertThat(
              StoreBackups.detail(backupId).extract().jsonPath().getBoolean("verification.passed"))
          .as(backupId)
          .isTrue();
    }

    // A backup verified (or once tried) is not started again.
    int jobsBefore = verifications().size();
    schedule.check("2026-01-01T00:02:00Z").await().atMost(Duration.ofSeconds(30));
    assertThat(verifications()).hasSize(jobsBefore);
  }

  private static List<Map<String, Object>> verifications() {
    return given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/jobs?kind=verification&subject=store&limit=500")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  private static Optional<Map<String, Object>> verificationOf(String backupId) {
    return verifications().stream().filter(job -> backupId.equals(job.get("backupId"))).findFirst();
  }

  private static String location(String backupId) {
    return "/api/v1/jobs/" + verificationOf(backupId).orElseThrow().get("id");
  }
}
