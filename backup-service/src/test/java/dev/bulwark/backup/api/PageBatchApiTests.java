package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.backup.pages.PageCodec;
import dev.bulwark.backup.pages.SampleHtml;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pages stored in batches through {@code POST /api/v1/archive/pages/batches}: all or nothing. */
@QuarkusTest
class PageBatchApiTests {

  @InjectPostgres PostgresCluster postgres;

  @Test
  void aBatchStoresEveryPageAndDeduplicatesContentAlreadyStored() {
    String host = "https://batch-" + UUID.randomUUID() + ".example/";
    byte[] shared = SampleHtml.page(host, 11, "light");
    PageApiTests.post(host + "old", "2026-11-01T10:00:00Z", shared).then().statusCode(201);
    List<Map<String, Object>> pages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pages.add(item(host + i, "2026-11-02T10:00:00Z", SampleHtml.page(host + i, 20 + i, "dark")));
    }
    pages.add(item(host + "again", "2026-11-02T10:00:00Z", shared));

    JsonPath answer = batch(pages).then().statusCode(200).extract().jsonPath();

    assertThat(answer.getInt("stored")).isEqualTo(5);
    assertThat(answer.getInt("deduplicated")).isEqualTo(1);
    assertThat(answer.getList("pages.url"))
        .containsExactly(host + 0, host + 1, host + 2, host + 3, host + 4, host + "again");
    assertThat(answer.getList("pages.deduplicated"))
        .containsExactly(false, false, false, false, false, true);
    assertThat(answer.getString("pages[5].sha256")).isEqualTo(PageCodec.sha256(shared));
    assertThat(count("SELECT count(*) FROM backup.pages WHERE url LIKE '" + host + "%'"))
        .isEqualTo(7);
    assertThat(
            count("SELECT count(DISTINCT sha256) FROM backup.pages WHERE url LIKE '" + host + "%'"))
        .isEqualTo(6);
    String id = answer.getString("pages[2].id");
    byte[] html = PageApiTests.html(id, "identity").then().statusCode(200).extract().asByteArray();
    assertThat(html).isEqualTo(SampleHtml.page(host + 2, 22, "dark"));
  }

  @Test
  void aRetriedBatchAnswersThePagesStoredTheFirstTime() {
    String host = "https://batch-retry-" + UUID.randomUUID() + ".example/";
    List<Map<String, Object>> pages =
        List.of(
            item(host + "a", "2026-11-02T10:00:00Z", SampleHtml.page(host, 31, "light")),
            item(host + "b", "2026-11-02T10:00:00Z", SampleHtml.page(host, 32, "light")));
    List<String> ids = batch(pages).then().statusCode(200).extract().path("pages.id");

    JsonPath again = batch(pages).then().statusCode(200).extract().jsonPath();

    assertThat(again.getList("pages.id")).isEqualTo(ids);
    assertThat(again.getInt("deduplicated")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM backup.pages WHERE url LIKE '" + host + "%'"))
        .isEqualTo(2);
  }

  @Test
  void aBatchWithOneBadPageStoresNothingAndNamesIt() {
    String host = "https://batch-bad-" + UUID.randomUUID() + ".example/";
    byte[] good = SampleHtml.page(host, 41, "light");
    Map<String, Object> undecodable = item(host + "b", "2026-11-02T10:00:00Z", good);
    undecodable.put("contentEncoding", "gzip");

    problem(
        batch(List.of(item(host + "a", "2026-11-02T10:00:00Z", good), undecodable)),
        400,
        "pages[1].Content-Encoding");
    problem(
        batch(
            List.of(
                item(host + "a", "2026-11-02T10:00:00Z", good),
                item("not a url", "2026-11-02T10:00:00Z", good))),
        400,
        "pages[1].url");
    Map<String, Object> noTime = item(host + "c", "2026-11-02T10:00:00Z", good);
    noTime.remove("fetchedAt");
    problem(batch(List.of(noTime)), 400, "pages[0].fetchedAt");
    problem(batch(List.of()), 400, "pages");

    assertThat(count("SELECT count(*) FROM backup.pages WHERE url LIKE '" + host + "%'")).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM backup.page_objects WHERE sha256 = '"
                    + PageCodec.sha256(good)
                    + "'"))
        .isZero();
  }

  @Test
  void aBatchRepeatingAFetchWithOtherContentIsRefusedWhole() {
    String host = "https://batch-conflict-" + UUID.randomUUID() + ".example/";
    PageApiTests.post(host + "x", "2026-11-01T10:00:00Z", SampleHtml.page(host, 51, "light"))
        .then()
        .statusCode(201);

    // the same fetch twice in the batch with other content
    problem(
        batch(
            List.of(
                item(host + "y", "2026-11-02T10:00:00Z", SampleHtml.page(host, 52, "light")),
                item(host + "y", "2026-11-02T10:00:00Z", SampleHtml.page(host, 53, "light")))),
        400,
        "pages[1]");
    // a fetch already archived with other content: 409, and the new page of the batch is gone too
    batch(
            List.of(
                item(host + "z", "2026-11-02T10:00:00Z", SampleHtml.page(host, 54, "light")),
                item(host + "x", "2026-11-01T10:00:00Z", SampleHtml.page(host, 55, "light"))))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", containsString("page-conflict"));

    assertThat(count("SELECT count(*) FROM backup.pages WHERE url LIKE '" + host + "%'"))
        .isEqualTo(1);
  }

  @Test
  void aBatchNeedsThePipelineRole() {
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .contentType("application/json")
        .body(Map.of("pages", List.of()))
        .post("/api/v1/archive/pages/batches")
        .then()
        .statusCode(403);
  }

  private static Map<String, Object> item(String url, String fetchedAt, byte[] html) {
    Map<String, Object> item = new java.util.HashMap<>();
    item.put("url", url);
    item.put("fetchedAt", fetchedAt);
    item.put("status", 200);
    item.put("contentType", "text/html; charset=utf-8");
    item.put("body", Base64.getEncoder().encodeToString(html));
    return item;
  }

  private static Response batch(List<Map<String, Object>> pages) {
    return given()
        .auth()
        .oauth2(PageApiTests.PIPELINE)
        .contentType("application/json")
        .body(Map.of("pages", pages))
        .post("/api/v1/archive/pages/batches");
  }

  private static void problem(Response response, int status, String field) {
    response
        .then()
        .statusCode(status)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo(field));
  }

  private long count(String sql) {
    return Long.parseLong(postgres.primary().queryValue(sql));
  }
}
