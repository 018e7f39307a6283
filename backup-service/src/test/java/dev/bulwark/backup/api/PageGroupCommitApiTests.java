package dev.bulwark.backup.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.pages.PageCodec;
import dev.bulwark.backup.pages.SampleHtml;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Single pages sent at the same time are stored in groups ({@code group-commit.in-flight} of 1 by
 * default: one group is stored while the next fills), and each request is still answered on its
 * own.
 */
@QuarkusTest
class PageGroupCommitApiTests {

  private static final String FETCHED = "2026-11-03T10:00:00Z";

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Test
  void pagesThatArriveWhileGroupsAreStoredGoTogetherAndEachGetsItsOwnAnswer() throws Exception {
    String host = "https://group-" + UUID.randomUUID() + ".example/";
    List<String> urls = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      urls.add(host + i);
      bodies.add(SampleHtml.page(host + i, 60 + i, "light"));
    }
    // The same fetch twice with the same content (one stored, one deduplicated), and twice with
    // other content (one stored, one refused): both pairs may land in one group.
    byte[] same = SampleHtml.page(host + "same", 90, "dark");
    urls.addAll(List.of(host + "same", host + "same", host + "other", host + "other"));
    bodies.addAll(
        List.of(
            same,
            same,
            SampleHtml.page(host + "other", 91, "dark"),
            SampleHtml.page(host + "other", 92, "dark")));
    double groupsBefore = summary("count");
    double pagesBefore = summary("sum");

    List<Future<Response>> answers = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(urls.size());
    try (Connection db = postgres.primary().connect("postgres");
        Statement sql = db.createStatement()) {
      // Holds the index: the first groups wait at their commit, and every other page must queue.
      db.setAutoCommit(false);
      sql.execute("LOCK TABLE backup.page_objects IN EXCLUSIVE MODE");
      for (int i = 0; i < urls.size(); i++) {
        String url = urls.get(i);
        byte[] body = bodies.get(i);
        answers.add(clients.submit(() -> PageApiTests.post(url, FETCHED, body)));
      }
      await("one group waits for the index and the other pages for it")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  lockWaiters() == 1
                      && Scrapes.value(metrics, "bulwark_archive_page_group_waiting")
                          == urls.size() - 1);
      db.rollback();
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Response> answer : answers) {
      statuses.add(answer.get().statusCode());
    }
    clients.shutdown();

    assertThat(statuses.subList(0, 20)).containsOnly(201);
    assertThat(statuses.subList(20, 22)).containsExactlyInAnyOrder(201, 200);
    assertThat(statuses.subList(22, 24)).containsExactlyInAnyOrder(201, 409);
    // a group of the first page, then the 23 that waited in one group
    assertThat(summary("count") - groupsBefore).isEqualTo(2);
    assertThat(summary("sum") - pagesBefore).isEqualTo(urls.size());
    assertThat(Scrapes.value(metrics, "bulwark_archive_page_group_waiting")).isZero();
    assertThat(count("SELECT count(*) FROM backup.pages WHERE url LIKE '" + host + "%'"))
        .isEqualTo(22);
    for (int i = 0; i < 20; i++) {
      assertThat(
              count(
                  "SELECT count(*) FROM backup.pages WHERE url = '"
                      + urls.get(i)
                      + "' AND sha256 = '"
                      + PageCodec.sha256(bodies.get(i))
                      + "'"))
          .isEqualTo(1);
    }
  }

  private double summary(String part) {
    double value = Scrapes.value(metrics, "bulwark_archive_page_group_pages_" + part);
    return Double.isNaN(value) ? 0 : value;
  }

  private long lockWaiters() {
    return count(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            + " AND query LIKE '%INSERT INTO backup.page_objects%'");
  }

  private long count(String sql) {
    return Long.parseLong(postgres.primary().queryValue(sql));
  }
}
