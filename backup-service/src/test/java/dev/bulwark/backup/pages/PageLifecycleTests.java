package dev.bulwark.backup.pages;

import static io.restassured.RestAssured.given;
import static io.restassured.config.DecoderConfig.decoderConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.exported.PageGauges;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.Scrapes;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recompaction, retention and legal holds, under a pinned clock. */
@QuarkusTest
class PageLifecycleTests {

  private static final String PIPELINE = TestJwt.token("pipeline");
  private static final String VIEWER = TestJwt.token("viewer");
  private static final String OPERATOR = TestJwt.token("operator");

  @Inject PageRecompaction recompaction;
  @Inject PagesConfig config;
  @Inject PageRetention retention;
  @Inject PageGauges gauges;
  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  private final MutableClock clock = MutableClock.todayAtNoon();

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void retentionDropsOldPagesAndKeepsHeldLeadsAndSharedObjects() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String held = "lead-held-" + run;
    String free = "lead-free-" + run;
    String old = clock.instant().minus(Duration.ofDays(400)).toString();
    String recent = clock.instant().minus(Duration.ofDays(1)).toString();
    byte[] heldHtml = SampleHtml.page("held " + run, 1, "light");
    byte[] freeHtml = SampleHtml.page("free " + run, 2, "light");
    byte[] sharedHtml = SampleHtml.page("shared " + run, 3, "light");
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType("application/json")
        .body("{\"reason\":\"case 2026-17\"}")
        .put("/api/v1/archive/legal-holds/" + held)
        .then()
        .statusCode(201);
    String heldId = store("https://held-" + run + ".example/", old, held, heldHtml).getString("id");
    String freeId = store("https://free-" + run + ".example/", old, free, freeHtml).getString("id");
    String oldShared =
        store("https://shared-" + run + ".example/", old, free, sharedHtml).getString("id");
    JsonPath again = store("https://shared-" + run + ".example/", recent, free, sharedHtml);
    assertThat(again.getBoolean("deduplicated")).isTrue();
    String newShared = again.getString("id");
    double deletedBefore = deletedTotal();

    PageRetentionRun result = retention.run().await().indefinitely();

    assertThat(result.pages()).isEqualTo(2);
    // At least the free lead's object; objects other tests left without a page (a 409's) go too.
    assertThat(result.objects()).isGreaterThanOrEqualTo(1);
    page(heldId).then().statusCode(200);
    page(freeId).then().statusCode(404);
    page(oldShared).then().statusCode(404);
    page(newShared).then().statusCode(200);
    assertThat(DictionaryTrainingTests.object(PageCodec.sha256(freeHtml))).doesNotExist();
    assertThat(DictionaryTrainingTests.object(PageCodec.sha256(sharedHtml))).exists();
    assertThat(DictionaryTrainingTests.object(PageCodec.sha256(heldHtml))).exists();
    assertThat(deletedTotal()).isEqualTo(deletedBefore + 2);
    given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/archive/legal-holds")
        .then()
        .statusCode(200)
        .body("leadId", hasItem(held));

    // Lifted, the hold no longer keeps the page.
    given()
        .auth()
        .oauth2(OPERATOR)
        .delete("/api/v1/archive/legal-holds/" + held)
        .then()
        .statusCode(204);
    given()
        .auth()
        .oauth2(OPERATOR)
        .delete("/api/v1/archive/legal-holds/" + held)
        .then()
        .statusCode(404);
    assertThat(retention.run().await().indefinitely().pages()).isEqualTo(1);
    page(heldId).then().statusCode(404);
    assertThat(DictionaryTrainingTests.object(PageCodec.sha256(heldHtml))).doesNotExist();
  }

  @Test
  void legalHoldsNeedTheOperatorAndAReason() {
    given()
        .auth()
        .oauth2(VIEWER)
        .contentType("application/json")
        .body("{\"reason\":\"x\"}")
        .put("/api/v1/archive/legal-holds/lead-1")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType("application/json")
        .body("{\"reason\":\"\"}")
        .put("/api/v1/archive/legal-holds/lead-1")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(OPERATOR)
        .contentType("application/json")
        .body("{\"reason\":\"x\"}")
        .put("/api/v1/archive/legal-holds/not a lead")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("leadId"));
  }

  @Test
  void pagesOlderThanTheAgeAreRecompactedAndStillReadBack() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    byte[] html = SampleHtml.page("recompact " + run, 4, "light");
    JsonPath stored =
        store("https://recompact-" + run + ".example/", clock.instant().toString(), null, html);
    String sha = stored.getString("sha256");
    assertThat(stored.getInt("compressionLevel")).isEqualTo(config.ingestLevel());

    recompaction.recompact().await().indefinitely();
    page(stored.getString("id"))
        .then()
        .statusCode(200)
        .body("compressionLevel", equalTo(config.ingestLevel()));

    clock.advance(Duration.ofDays(8));
    int rewritten = recompaction.recompact().await().indefinitely();

    assertThat(rewritten).isGreaterThanOrEqualTo(1);
    JsonPath after = page(stored.getString("id")).then().statusCode(200).extract().jsonPath();
    assertThat(after.getInt("compressionLevel")).isEqualTo(config.recompactLevel());
    assertThat(after.getLong("storedBytes")).isLessThan(stored.getLong("storedBytes"));
    assertThat(Files.size(DictionaryTrainingTests.object(sha)))
        .isEqualTo(after.getLong("storedBytes"));
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT recompacted_at = '"
                        + clock.instant()
                        + "' FROM backup.page_objects WHERE sha256 = '"
                        + sha
                        + "'"))
        .isEqualTo("t");
    byte[] back =
        given()
            .config(RestAssured.config().decoderConfig(decoderConfig().noContentDecoders()))
            .auth()
            .oauth2(VIEWER)
            .get("/api/v1/archive/pages/" + stored.getString("id") + "/html")
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(back).isEqualTo(html);
  }

  @Test
  void theGaugesShowWhatTheIndexHolds() {
    store(
        "https://gauges-" + UUID.randomUUID() + ".example/",
        clock.instant().toString(),
        null,
        SampleHtml.page("gauges", 5, "light"));
    gauges.refresh().await().indefinitely();
    Scrapes.awaitAsserted(
        metrics,
        "the pages' totals",
        s -> {
          String[] totals =
              postgres
                  .primary()
                  .queryValue(
                      "SELECT count(*) || ',' || sum(raw_bytes) || ',' || sum(stored_bytes)"
                          + " FROM backup.page_objects")
                  .split(",");
          assertThat(s.value("bulwark_archive_objects", "kind", "pages"))
              .hasValue(Double.parseDouble(totals[0]));
          assertThat(s.value("bulwark_archive_stored_bytes", "kind", "pages", "form", "raw"))
              .hasValue(Double.parseDouble(totals[1]));
          assertThat(s.value("bulwark_archive_stored_bytes", "kind", "pages", "form", "compressed"))
              .hasValue(Double.parseDouble(totals[2]));
          assertThat(s.value("bulwark_archive_pages_gauges_up")).hasValue(1);
          assertThat(s.value("bulwark_archive_ingested_total", "kind", "pages").orElse(0))
              .isGreaterThanOrEqualTo(1);
        });
  }

  private double deletedTotal() {
    return Scrapes.scrape(metrics)
        .value("bulwark_archive_retention_deleted_total", "kind", "pages")
        .orElse(0);
  }

  private static JsonPath store(String url, String fetchedAt, String leadId, byte[] html) {
    var request =
        given()
            .auth()
            .oauth2(PIPELINE)
            .contentType("text/html")
            .queryParam("url", url)
            .queryParam("fetchedAt", fetchedAt)
            .queryParam("status", 200);
    if (leadId != null) {
      request.queryParam("leadId", leadId);
    }
    return request
        .body(html)
        .post("/api/v1/archive/pages")
        .then()
        .statusCode(anyOf(equalTo(201), equalTo(200)))
        .extract()
        .jsonPath();
  }

  private static io.restassured.response.Response page(String id) {
    return given().auth().oauth2(VIEWER).get("/api/v1/archive/pages/" + id);
  }
}
