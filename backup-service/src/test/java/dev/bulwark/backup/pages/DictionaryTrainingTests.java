package dev.bulwark.backup.pages;

import static io.restassured.RestAssured.given;
import static io.restassured.config.DecoderConfig.decoderConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Dictionaries trained on stored pages, used for new ones, and old ones still read back. */
@QuarkusTest
class DictionaryTrainingTests {

  private static final String PIPELINE = TestJwt.token("pipeline");
  private static final String VIEWER = TestJwt.token("viewer");

  @Inject DictionaryTraining training;
  @InjectPostgres PostgresCluster postgres;

  @Test
  void aPageStoredWithAnOldDictionaryReadsBackAfterANewOneIsTrained() throws Exception {
    String site = "dict-" + UUID.randomUUID();
    storeMany(site, "light", 60);

    TrainedDictionary first = training.train().await().indefinitely().orElseThrow();

    assertThat(first.dictionaryBytes()).isLessThan(first.plainBytes());
    assertThat(first.samplePages()).isGreaterThanOrEqualTo(60);
    assertThat(dictionaryFile(first.id())).exists();
    byte[] oldHtml = SampleHtml.page(site + " old", 1_000, "light");
    JsonPath old = store("https://" + site + ".example/old", oldHtml);
    assertThat(old.getLong("dictionaryId")).isEqualTo(first.id());
    assertThat(Zstd.getDictIdFromFrame(Files.readAllBytes(object(old.getString("sha256")))))
        .isEqualTo(first.id());

    // Pages of another kind make the next dictionary a different one.
    storeMany(site, "dark-theme-with-other-boilerplate", 60);
    TrainedDictionary second = training.train().await().indefinitely().orElseThrow();
    byte[] newHtml = SampleHtml.page(site + " new", 2_000, "dark-theme-with-other-boilerplate");
    JsonPath fresh = store("https://" + site + ".example/new", newHtml);

    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(fresh.getLong("dictionaryId")).isEqualTo(second.id());
    assertThat(html(old.getString("id"))).isEqualTo(oldHtml);
    assertThat(html(fresh.getString("id"))).isEqualTo(newHtml);
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM backup.page_dictionaries WHERE id IN ("
                        + first.id()
                        + ","
                        + second.id()
                        + ")"))
        .isEqualTo("2");
  }

  private static void storeMany(String site, String theme, int count) {
    for (int i = 0; i < count; i++) {
      store("https://" + site + ".example/" + theme + "/" + i, SampleHtml.page(site, i, theme));
    }
  }

  private static JsonPath store(String url, byte[] html) {
    return given()
        .auth()
        .oauth2(PIPELINE)
        .contentType("text/html")
        .queryParam("url", url)
        .queryParam("fetchedAt", Instant.now().toString())
        .queryParam("status", 200)
        .body(html)
        .post("/api/v1/archive/pages")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  private static byte[] html(String id) {
    return given()
        // REST Assured would add its own Accept-Encoding (gzip) beside ours.
        .config(RestAssured.config().decoderConfig(decoderConfig().noContentDecoders()))
        .auth()
        .oauth2(VIEWER)
        .header("Accept-Encoding", "identity")
        .get("/api/v1/archive/pages/" + id + "/html")
        .then()
        .statusCode(200)
        .header("Content-Encoding", (String) null)
        .extract()
        .asByteArray();
  }

  private static Path dictionaryFile(long id) {
    return Path.of(
        System.getProperty("user.dir"), "target/test-storage/archive/dictionaries/" + id + ".dict");
  }

  static Path object(String sha) {
    return Path.of(
        System.getProperty("user.dir"),
        "target/test-storage/archive/pages/" + sha.substring(0, 2) + "/" + sha + ".zst");
  }
}
