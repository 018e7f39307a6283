package dev.bulwark.backup.api;

import static io.restassured.RestAssured.given;
import static io.restassured.config.DecoderConfig.decoderConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.luben.zstd.Zstd;
import dev.bulwark.backup.pages.PageCodec;
import dev.bulwark.backup.pages.SampleHtml;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Pages through the API, stored in the test profile's file storage (target/test-storage). */
@QuarkusTest
class PageApiTests {

  static final String PIPELINE = TestJwt.token("pipeline");
  static final String VIEWER = TestJwt.token("viewer");
  private static final RestAssuredConfig RAW =
      RestAssured.config().decoderConfig(decoderConfig().noContentDecoders());

  @InjectPostgres PostgresCluster postgres;

  @Test
  void theSamePageStoredTwiceIsOneObjectAndTwoFetches() {
    String url = "https://www.Example-" + UUID.randomUUID() + ".com/";
    byte[] html = SampleHtml.page(url, 1, "light");

    JsonPath first =
        post(url, "2026-11-01T10:00:00Z", html).then().statusCode(201).extract().jsonPath();
    JsonPath second =
        post(url, "2026-11-02T10:00:00Z", html).then().statusCode(200).extract().jsonPath();

    String sha = PageCodec.sha256(html);
    assertThat(first.getString("sha256")).isEqualTo(sha);
    assertThat(first.getBoolean("deduplicated")).isFalse();
    assertThat(second.getBoolean("deduplicated")).isTrue();
    assertThat(second.getString("id")).isNotEqualTo(first.getString("id"));
    assertThat(first.getString("host"))
        .isEqualTo(url.substring(12, url.length() - 1).toLowerCase());
    assertThat(first.getLong("rawBytes")).isEqualTo(html.length);
    assertThat(first.getLong("storedBytes")).isLessThan(html.length / 2);
    assertThat(count("SELECT count(*) FROM backup.page_objects WHERE sha256 = '" + sha + "'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM backup.pages WHERE sha256 = '" + sha + "'"))
        .isEqualTo(2);
    Path object = storage("archive/pages/" + sha.substring(0, 2) + "/" + sha + ".zst");
    assertThat(object).exists();
    assertThat(object.toFile().length()).isEqualTo(first.getLong("storedBytes"));
  }

  @Test
  void aRetriedStoreOfTheSameFetchIsNotASecondVersion() {
    String url = "https://retry-" + UUID.randomUUID() + ".example/";
    byte[] html = SampleHtml.page(url, 2, "dark");

    String id = post(url, "2026-11-01T10:00:00Z", html).then().statusCode(201).extract().path("id");
    post(url, "2026-11-01T10:00:00Z", html).then().statusCode(200).body("id", equalTo(id));
    post(url, "2026-11-01T10:00:00Z", SampleHtml.page(url, 3, "dark"))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", containsString("page-conflict"));

    assertThat(count("SELECT count(*) FROM backup.pages WHERE url = '" + url + "'")).isEqualTo(1);
  }

  @Test
  void aChangedPageIsASecondVersionFoundByTime() {
    String url = "https://changed-" + UUID.randomUUID() + ".example/index.html";
    byte[] before = SampleHtml.page(url, 4, "light");
    byte[] after = SampleHtml.page(url, 5, "light");
    String firstId =
        post(url, "2026-11-01T10:00:00Z", before).then().statusCode(201).extract().path("id");
    String secondId =
        post(url, "2026-11-03T10:00:00Z", after).then().statusCode(201).extract().path("id");

    JsonPath versions = versions(url, null, 50).then().statusCode(200).extract().jsonPath();
    assertThat(versions.getList("pages.id")).containsExactly(secondId, firstId);
    assertThat(versions.getList("pages.sha256"))
        .containsExactly(PageCodec.sha256(after), PageCodec.sha256(before));
    assertThat(versions.getString("nextCursor")).isNull();
    asOf(url, "2026-11-02T00:00:00Z").then().statusCode(200).body("id", equalTo(firstId));
    asOf(url, "2026-11-03T10:00:00Z").then().statusCode(200).body("id", equalTo(secondId));
    asOf(url, "2026-10-31T00:00:00Z")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("type", containsString("page-not-found"));
    assertThat(count("SELECT count(DISTINCT sha256) FROM backup.pages WHERE url = '" + url + "'"))
        .isEqualTo(2);
  }

  @Test
  void versionsArePagedWithACursor() {
    String url = "https://paged-" + UUID.randomUUID() + ".example/";
    for (int day = 1; day <= 3; day++) {
      post(url, "2026-11-0" + day + "T10:00:00Z", SampleHtml.page(url, day, "light"))
          .then()
          .statusCode(201);
    }

    JsonPath first = versions(url, null, 2).then().statusCode(200).extract().jsonPath();
    JsonPath second =
        versions(url, first.getString("nextCursor"), 2).then().statusCode(200).extract().jsonPath();

    assertThat(first.getList("pages.fetchedAt"))
        .containsExactly("2026-11-03T10:00:00Z", "2026-11-02T10:00:00Z");
    assertThat(second.getList("pages.fetchedAt")).containsExactly("2026-11-01T10:00:00Z");
    assertThat(second.getString("nextCursor")).isNull();
    versions(url, "bm90IGEgY3Vyc29y", 2)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("cursor"));
  }

  @Test
  void theHtmlReadsBackByteIdenticalInEveryEncoding() throws Exception {
    String url = "https://read-" + UUID.randomUUID() + ".example/";
    byte[] html = SampleHtml.page(url, 6, "light");
    // Sent gzip-encoded, as a crawler that kept the server's encoding would.
    String id =
        given()
            .auth()
            .oauth2(PIPELINE)
            .contentType("text/html; charset=utf-8")
            .header("Content-Encoding", "gzip")
            .queryParam("url", url)
            .queryParam("fetchedAt", "2026-11-01T10:00:00Z")
            .queryParam("status", 200)
            .body(PageCodec.gzip(html))
            .post("/api/v1/archive/pages")
            .then()
            .statusCode(201)
            .body("rawBytes", equalTo(html.length))
            .body("sha256", equalTo(PageCodec.sha256(html)))
            .extract()
            .path("id");

    Response identity = html(id, "identity");
    Response gzip = html(id, "gzip, deflate");
    Response zstd = html(id, "zstd, gzip;q=0.5");

    assertThat(identity.statusCode()).isEqualTo(200);
    assertThat(identity.header("Content-Encoding")).isNull();
    assertThat(identity.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(identity.asByteArray()).isEqualTo(html);
    assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip.asByteArray())).readAllBytes())
        .isEqualTo(html);
    assertThat(zstd.header("Content-Encoding")).isEqualTo("zstd");
    assertThat(Zstd.decompress(zstd.asByteArray(), html.length)).isEqualTo(html);
  }

  @Test
  void badInputIsRefusedAndNothingIsIndexed() {
    String url = "https://bad-" + UUID.randomUUID() + ".example/";
    byte[] html = SampleHtml.page(url, 7, "light");

    problem(post("not a url", "2026-11-01T10:00:00Z", html), 400, "url");
    problem(post("ftp://files.example/", "2026-11-01T10:00:00Z", html), 400, "url");
    problem(post("/relative/path", "2026-11-01T10:00:00Z", html), 400, "url");
    problem(post(url, "yesterday", html), 400, "fetchedAt");
    problem(
        request(url, "2026-11-01T10:00:00Z")
            .queryParam("status", 999)
            .body(html)
            .post("/api/v1/archive/pages"),
        400,
        "status");
    problem(
        request(url, "2026-11-01T10:00:00Z")
            .queryParam("status", 200)
            .queryParam("leadId", "no spaces please")
            .body(html)
            .post("/api/v1/archive/pages"),
        400,
        "leadId");
    problem(
        request(url, "2026-11-01T10:00:00Z")
            .queryParam("status", 200)
            .header("Content-Encoding", "gzip")
            .body(html)
            .post("/api/v1/archive/pages"),
        400,
        "Content-Encoding");
    problem(
        request(url, "2026-11-01T10:00:00Z")
            .queryParam("status", 200)
            .header("Content-Encoding", "br")
            .body(html)
            .post("/api/v1/archive/pages"),
        400,
        "Content-Encoding");
    // The test profile's limit is 256K: too large as sent, and too large once decoded (a page of
    // 1 MB of spaces gzips to about a kilobyte).
    byte[] huge = " ".repeat(1024 * 1024).getBytes();
    post(url, "2026-11-01T10:00:00Z", huge)
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString("262144 bytes"));
    request(url, "2026-11-01T10:00:00Z")
        .queryParam("status", 200)
        .header("Content-Encoding", "gzip")
        .body(PageCodec.gzip(huge))
        .post("/api/v1/archive/pages")
        .then()
        .statusCode(413)
        .body("detail", containsString("decoded page"));

    assertThat(count("SELECT count(*) FROM backup.pages WHERE host LIKE 'bad-%'")).isZero();
  }

  @Test
  void writesNeedThePipelineRoleAndReadsTheViewerRole() {
    String url = "https://roles-" + UUID.randomUUID() + ".example/";
    byte[] html = SampleHtml.page(url, 8, "light");
    given()
        .auth()
        .oauth2(VIEWER)
        .queryParam("url", url)
        .queryParam("fetchedAt", "2026-11-01T10:00:00Z")
        .queryParam("status", 200)
        .body(html)
        .post("/api/v1/archive/pages")
        .then()
        .statusCode(403);
    given().queryParam("url", url).get("/api/v1/archive/pages").then().statusCode(401);
    given()
        .auth()
        .oauth2(PIPELINE)
        .queryParam("url", url)
        .get("/api/v1/archive/pages")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/archive/pages/not-a-uuid")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
    given()
        .auth()
        .oauth2(VIEWER)
        .get("/api/v1/archive/pages/" + UUID.randomUUID() + "/html")
        .then()
        .statusCode(404);
  }

  static Response post(String url, String fetchedAt, byte[] html) {
    return request(url, fetchedAt)
        .queryParam("status", 200)
        .body(html)
        .post("/api/v1/archive/pages");
  }

  private static RequestSpecification request(String url, String fetchedAt) {
    return given()
        .auth()
        .oauth2(PIPELINE)
        .contentType("text/html; charset=utf-8")
        .queryParam("url", url)
        .queryParam("fetchedAt", fetchedAt);
  }

  private static Response versions(String url, String cursor, int limit) {
    RequestSpecification request =
        given().auth().oauth2(VIEWER).queryParam("url", url).queryParam("limit", limit);
    if (cursor != null) {
      request.queryParam("cursor", cursor);
    }
    return request.get("/api/v1/archive/pages");
  }

  private static Response asOf(String url, String asOf) {
    return given()
        .auth()
        .oauth2(VIEWER)
        .queryParam("url", url)
        .queryParam("asOf", asOf)
        .get("/api/v1/archive/pages/as-of");
  }

  static Response html(String id, String acceptEncoding) {
    return given()
        .config(RAW)
        .auth()
        .oauth2(VIEWER)
        .header("Accept-Encoding", acceptEncoding)
        .get("/api/v1/archive/pages/" + id + "/html");
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

  static Path storage(String key) {
    return Path.of(System.getProperty("user.dir"), "target/test-storage", key);
  }

  static boolean stored(String key) {
    return Files.exists(storage(key));
  }
}
