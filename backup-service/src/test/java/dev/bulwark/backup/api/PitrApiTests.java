package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.pitr.PgWalSegments;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.backup.pitr.restore.PitrRestoreJobs;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;
import dev.bulwark.testing.Scrapes;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time recovery through the REST API on the test profile's target {@code store}: a base
 * backup as a job, WAL archived from the server's pg_wal, bad points refused, a restore to latest
 * and a verification that the metric reports.
 */
@QuarkusTest
@TestProfile(DecryptingProfile.class)
class PitrApiTests {

  private static final String OPERATOR = TestJwt.token("operator");
  private static final String VIEWER = TestJwt.token("viewer");

  @InjectPostgres PostgresCluster postgres;
  @Inject WalArchive archive;
  @Inject PitrRestoreJobs restores;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void aBaseBackupThenBadPointsRefusedThenARestoreToLatestAndAVerification() throws Exception {
    given()
        .auth()
        .oauth2(VIEWER)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store"))
        .post("/api/v1/pitr/base-backups")
        .then()
        .statusCode(403);
    String location =
        given()
            .auth()
            .oauth2(OPERATOR)
            .contentType(ContentType.JSON)
            .body(Map.of("target", "store"))
            .post("/api/v1/pitr/base-backups")
            .then()
            .statusCode(202)
            .body("kind", equalTo("base-backup"))
            .header("Location", containsString("/api/v1/jobs/"))
            .extract()
            .header("Location");
    JsonPath job = JobPolling.awaitEnd(location);
    assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
    String backupId = job.getString("backupId");
    JsonPath listed =
        given()
            .auth()
            .oauth2(VIEWER)
            .get("/api/v1/pitr/base-backups?target=store")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(listed.getList("backupId", String.class)).contains(backupId);
    Map<String, Object> base = listed.getMap("find { it.backupId == '" + backupId + "' }");
    assertThat(base.get("startLsn")).isEqualTo(job.getString("result.startLsn"));
    // Storage outlives a run: earlier base backups of store may be there, and open the window.
    Instant oldestEnd =
        listed.getList("finishedAt", String.class).stream()
            .map(Instant::parse)
            .min(Instant::compareTo)
            .orElseThrow();

    PostgresNode primary = postgres.primary();
    primary.execute("CREATE TABLE IF NOT EXISTS public.pitr_marks (id int, at timestamptz)");
    primary.execute("INSERT INTO public.pitr_marks VALUES (1, clock_timestamp())");
    Instant written = Instant.parse(isoOf(primary.queryValue("SELECT max(at) FROM pitr_marks")));
    String last = primary.queryValue("SELECT pg_walfile_name(pg_switch_wal())");
    PgWalSegments.archive(primary, archive, "store", (String) base.get("startWalSegment"), last);

    // A time before the oldest base backup: 422 with the window to pick from.
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store", "time", oldestEnd.minusSeconds(86400).toString()))
        .post("/api/v1/pitr/restores")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("type", equalTo("https://bulwark.dev/problems/pitr-target-outside-window"))
        .body("window.from", equalTo(oldestEnd.toString()))
        .body("detail", containsString("ask for a point inside that window"));
    // Two points at once: 400 naming the fields.
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store", "latest", true, "lsn", "0/3000000"))
        .post("/api/v1/pitr/restores")
        .then()
        .statusCode(400)
        .body("detail", containsString("exactly one of time, lsn or latest"));
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "nowhere", "latest", true))
        .post("/api/v1/pitr/restores")
        .then()
        .statusCode(404);

    String restore =
        given()
            .auth()
            .oauth2(OPERATOR)
            .contentType(ContentType.JSON)
            .body(Map.of("target", "store", "latest", true))
            .post("/api/v1/pitr/restores")
            .then()
            .statusCode(202)
            .body("kind", equalTo("pitr-restore"))
            .extract()
            .header("Location");
    JsonPath restored = JobPolling.awaitEnd(restore);
    assertThat(restored.getString("state")).as(restored.prettify()).isEqualTo("succeeded");
    assertThat(restored.getString("result.baseBackupId")).isEqualTo(backupId);
    assertThat(Instant.parse(restored.getString("result.reachedTime"))).isAfter(written);
    assertThat(restored.getInt("result.walFiles")).isPositive();
    assertThat(restored.getFloat("result.phaseSeconds.recover")).isPositive();

    // A verification records when it passed; every replica exports it.
    JsonPath verified =
        JobPolling.awaitEnd(
            "/api/v1/jobs/"
                + restores
                    .verify("store", JobTrigger.API, UUID.randomUUID())
                    .await()
                    .indefinitely()
                    .id());
    assertThat(verified.getString("state")).as(verified.prettify()).isEqualTo("succeeded");
    Instant verifiedAt = Instant.parse(verified.getString("finishedAt"));
    assertThat(Files.exists(Path.of(verified.getString("result.dataDirectory")))).isFalse();
    Scrapes.awaitAsserted(
        metrics,
        "the verified restore",
        s -> {
          assertThat(
                  s.value(
                      "bulwark_backup_pitr_last_verified_restore_timestamp_seconds",
                      "target",
                      "store"))
              .hasValueCloseTo(verifiedAt.toEpochMilli() / 1000.0, within(5.0));
          assertThat(s.value("bulwark_backup_pitr_verified_up")).hasValue(1);
        });
  }

  private static String isoOf(String timestamptz) {
    return timestamptz.replace(' ', 'T').replaceFirst("\\+00$", "Z");
  }
}
