package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.backup.storage.ObjectKey;
import dev.bulwark.backup.storage.ObjectStorage;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A backup verified after it is taken, restored through the API, and a corrupted one caught. */
@QuarkusTest
@TestProfile(DecryptingProfile.class)
class VerificationAndRestoreApiTests {

  private static final String OPERATOR = TestJwt.token("operator");
  private static final String VIEWER = TestJwt.token("viewer");

  @InjectPostgres PostgresCluster postgres;
  @Inject ObjectStorage storage;

  @Test
  void aNewBackupIsVerifiedAndRestoresIntoANamedDatabase() {
    postgres.primary().execute("CREATE TABLE IF NOT EXISTS public.orders (id int, note text)");
    postgres.primary().execute("TRUNCATE public.orders");
    postgres
        .primary()
        .execute("INSERT INTO public.orders SELECT i, 'n' || i FROM generate_series(1, 1234) i");
    String backupId = takeBackup();

    JsonPath verification = JobPolling.awaitEnd(job("verification", backupId));
    assertThat(verification.getString("state")).as(verification.prettify()).isEqualTo("succeeded");
    assertThat(verification.getString("trigger")).isEqualTo("backup");
    StoreBackups.detail(backupId).body("verification.passed", equalTo(true));

    String database = "restored_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    JsonPath restore =
        JobPolling.awaitEnd(
            restore(backupId, database, false)
                .statusCode(202)
                .body("kind", equalTo("restore"))
                .extract()
                .header("Location"));

    assertThat(restore.getString("state")).as(restore.prettify()).isEqualTo("succeeded");
    assertThat(restore.getBoolean("result.databaseCreated")).isTrue();
    assertThat(restore.getList("result.mismatches")).isEmpty();
    assertThat(restore.getLong("progress.bytesRead"))
        .isEqualTo(restore.getLong("progress.bytesTotal"));
    assertThat(postgres.primary().queryValue(database, "SELECT count(*) FROM public.orders"))
        .isEqualTo("1234");

    // Restoring again over what it restored needs force: refused before any job starts.
    int restoresBefore = restoreJobs().size();
    restore(backupId, database, false)
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", containsString("database-not-empty"))
        .body("detail", containsString(database));
    assertThat(restoreJobs()).hasSize(restoresBefore);
    JsonPath forced =
        JobPolling.awaitEnd(
            restore(backupId, database, true).statusCode(202).extract().header("Location"));
    assertThat(forced.getString("state")).as(forced.prettify()).isEqualTo("succeeded");
  }

  @Test
  void aCorruptedBackupFailsVerificationNamingTheMismatch() throws Exception {
    String backupId = takeBackup();
    JobPolling.awaitEnd(job("verification", backupId));
    ObjectKey dump = ObjectKey.of("backups/store/" + backupId + "/dump.age");
    byte[] bytes;
    try (InputStream in = storage.get(dump)) {
      bytes = in.readAllBytes();
    }
    bytes[bytes.length / 2] ^= 0x01;
    storage.put(dump, new ByteArrayInputStream(bytes));

    String location =
        given()
            .auth()
            .oauth2(OPERATOR)
            .post("/api/v1/backups/store/" + backupId + "/verifications")
            .then()
            .statusCode(202)
            .extract()
            .header("Location");
    JsonPath job = JobPolling.awaitEnd(location);

    assertThat(job.getString("state")).isEqualTo("failed");
    assertThat(job.getString("error")).contains("SHA-256");
    // Not tried again: a wrong backup stays wrong.
    assertThat(job.getInt("attempt")).isEqualTo(1);
    StoreBackups.detail(backupId)
        .body("verification.passed", equalTo(false))
        .body("verification.mismatches[0]", containsString("SHA-256"));
  }

  @Test
  void requestsThatCannotWorkAreAnsweredAtOnce() {
    given()
        .auth()
        .oauth2(OPERATOR)
        .post("/api/v1/backups/store/20990101T000000Z-abcdef/verifications")
        .then()
        .statusCode(404)
        .body("type", containsString("backup-not-found"));
    restore("20990101T000000Z-abcdef", "anywhere", false)
        .statusCode(404)
        .body("type", containsString("backup-not-found"));
    String backupId = takeBackup();
    restore(backupId, "Robert'); DROP TABLE", false)
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(VIEWER)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store", "backupId", backupId, "database", "x"))
        .post("/api/v1/restores")
        .then()
        .statusCode(403);
  }

  private static String takeBackup() {
    // One verification per target at a time: a backup finished while another test's verification
    // runs gets none ("not started", the service logs), and a test waiting for it would wait on.
    await("no verification of store running")
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                given()
                    .auth()
                    .oauth2(VIEWER)
                    .get("/api/v1/jobs?kind=verification&subject=store")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("findAll { it.state == 'running' }")
                    .isEmpty());
    return StoreBackups.take();
  }

  private static io.restassured.response.ValidatableResponse restore(
      String backupId, String database, boolean force) {
    return given()
        .auth()
        .oauth2(OPERATOR)
        .contentType(ContentType.JSON)
        .body(Map.of("target", "store", "backupId", backupId, "database", database, "force", force))
        .post("/api/v1/restores")
        .then();
  }

  private static List<String> restoreJobs() {
    return given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/jobs?kind=restore&limit=500")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("id", String.class);
  }

  /** The location of the job of that kind working on the backup, once it exists. */
  private static String job(String kind, String backupId) {
    String id =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    given()
                        .auth()
                        .oauth2(VIEWER)
                        .get("/api/v1/jobs?kind=" + kind + "&subject=store")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("find { it.backupId == '" + backupId + "' }.id"),
                found -> found != null);
    return "/api/v1/jobs/" + id;
  }
}
