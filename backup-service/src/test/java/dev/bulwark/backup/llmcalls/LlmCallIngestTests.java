package dev.bulwark.backup.llmcalls;

import static dev.bulwark.backup.llmcalls.LlmCalls.PATH;
import static dev.bulwark.backup.llmcalls.LlmCalls.PIPELINE;
import static dev.bulwark.backup.llmcalls.LlmCalls.VIEWER;
import static dev.bulwark.backup.llmcalls.LlmCalls.call;
import static dev.bulwark.backup.llmcalls.LlmCalls.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches of LLM calls into the archive: all or nothing, idempotent, checked, compressed. */
@QuarkusTest
class LlmCallIngestTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  private final MutableClock clock = MutableClock.todayAtNoon();
  private final String lead = "lead-" + UUID.randomUUID();

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void aBatchWithOneBadRecordIsRefusedNamingItAndStoresNothing() {
    List<Map<String, Object>> calls = calls(3);
    calls.get(1).put("model", " ");

    post(calls)
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("calls[1].model"))
        .body("detail", containsString("calls[1].model: must not be blank"))
        .body("detail", containsString("nothing of the batch was stored"));

    assertThat(rowsOf(calls)).isEqualTo("0");
    assertThat(idsOf(calls)).isEqualTo("0");
  }

  @Test
  void storesABatchAndAnswersHowManyItHolds() {
    List<Map<String, Object>> calls = calls(2);
    calls.get(1).remove("prompt");
    calls
        .get(1)
        .put(
            "messages",
            List.of(
                Map.of("role", "system", "content", "You classify bakeries."),
                Map.of("role", "user", "content", "Is this a bakery?")));

    post(calls).statusCode(200).body("accepted", equalTo(2));

    assertThat(rowsOf(calls)).isEqualTo("2");
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT messages->1->>'content' FROM backup.llm_calls WHERE id = '"
                        + calls.get(1).get("id")
                        + "'"))
        .isEqualTo("Is this a bakery?");
  }

  @Test
  void aRetryAnswersTheSameAndStoresNothingTwice() {
    List<Map<String, Object>> calls = calls(3);
    double deduplicatedBefore = counter("bulwark_archive_deduplicated_writes_total");
    double ingestedBefore = counter("bulwark_archive_ingested_total");

    post(calls).statusCode(200).body("accepted", equalTo(3));
    post(calls).statusCode(200).body("accepted", equalTo(3));

    assertThat(rowsOf(calls)).isEqualTo("3");
    assertThat(counter("bulwark_archive_ingested_total") - ingestedBefore).isEqualTo(3.0);
    assertThat(counter("bulwark_archive_deduplicated_writes_total") - deduplicatedBefore)
        .isEqualTo(3.0);
  }

  @Test
  void anIdReusedForOtherContentIsAConflictAndTheBatchIsNotStored() {
    List<Map<String, Object>> first = calls(1);
    post(first).statusCode(200);
    List<Map<String, Object>> second = calls(2);
    // Another start time is another call, whichever partition it lands in.
    second.get(1).put("id", first.get(0).get("id"));
    second.get(1).put("startedAt", clock.instant().minus(Duration.ofDays(40)).toString());

    post(second)
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", containsString("llm-call-id-taken"))
        .body("detail", containsString("calls[1].id"));

    assertThat(rowsOf(second)).isEqualTo("1"); // the first batch's call only
    assertThat(rowsOf(List.of(second.get(0)))).isEqualTo("0");
  }

  @Test
  void callsOutsideTheArchivesTimeAreRefused() {
    List<Map<String, Object>> old = calls(1);
    old.get(0).put("startedAt", clock.instant().minus(Duration.ofDays(401)).toString());
    post(old)
        .statusCode(400)
        .body("errors[0].field", equalTo("calls[0].startedAt"))
        .body("detail", containsString("older than the archive keeps calls (400 days"));

    List<Map<String, Object>> future = calls(1);
    future.get(0).put("startedAt", clock.instant().plus(Duration.ofDays(2)).toString());
    post(future).statusCode(400).body("detail", containsString("is in the future"));
  }

  @Test
  void malformedCallsAreNamed() {
    List<Map<String, Object>> both = calls(1);
    both.get(0).put("messages", List.of(Map.of("role", "user", "content", "hi")));
    post(both).statusCode(400).body("errors[0].field", equalTo("calls[0].prompt"));

    List<Map<String, Object>> status = calls(1);
    status.get(0).put("status", "ok");
    post(status)
        .statusCode(400)
        .body("detail", containsString("succeeded, failed, timed-out, cancelled"));

    List<Map<String, Object>> cost = calls(1);
    cost.get(0).put("costUsd", "0.0000001");
    post(cost).statusCode(400).body("errors[0].field", equalTo("calls[0].costUsd"));

    List<Map<String, Object>> tokens = calls(1);
    tokens.get(0).put("inputTokens", "many");
    post(tokens).statusCode(400).body("errors[0].field", equalTo("calls[0].inputTokens"));

    List<Map<String, Object>> repeated = calls(2);
    repeated.get(1).put("id", repeated.get(0).get("id"));
    post(repeated).statusCode(400).body("detail", containsString("repeats calls[0].id"));

    post(List.of()).statusCode(400).body("errors[0].field", equalTo("calls"));
  }

  @Test
  void aBatchOverTheLimitIs413() {
    post(calls(1001))
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString("1001 items, at most 1000"));
  }

  @Test
  void onlyThePipelineWrites() {
    given()
        .auth()
        .oauth2(VIEWER)
        .contentType("application/json")
        .body(Map.of("calls", calls(1)))
        .post(PATH)
        .then()
        .statusCode(403);
    given()
        .contentType("application/json")
        .body(Map.of("calls", calls(1)))
        .post(PATH)
        .then()
        .statusCode(401);
    given().auth().oauth2(PIPELINE).get(PATH).then().statusCode(403);
  }

  @Test
  void largeTextIsStoredLz4Compressed() {
    List<Map<String, Object>> calls = calls(1);
    // Over the 2 kB TOAST threshold, and compressible.
    calls.get(0).put("prompt", "Describe this bakery's homepage. ".repeat(400));
    post(calls).statusCode(200);

    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT pg_column_compression(prompt) FROM backup.llm_calls WHERE id = '"
                        + calls.get(0).get("id")
                        + "'"))
        .isEqualTo("lz4");
  }

  private List<Map<String, Object>> calls(int n) {
    List<Map<String, Object>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(call(clock.instant().minus(Duration.ofMinutes(n - i)), lead));
    }
    return calls;
  }

  private String rowsOf(List<Map<String, Object>> calls) {
    return postgres
        .primary()
        .queryValue("SELECT count(*) FROM backup.llm_calls WHERE id IN (" + ids(calls) + ")");
  }

  private String idsOf(List<Map<String, Object>> calls) {
    return postgres
        .primary()
        .queryValue("SELECT count(*) FROM backup.llm_call_id WHERE id IN (" + ids(calls) + ")");
  }

  private static String ids(List<Map<String, Object>> calls) {
    return calls.stream().map(c -> "'" + c.get("id") + "'").collect(Collectors.joining(","));
  }

  private double counter(String name) {
    return Scrapes.value(metrics, name, "kind", "llm-calls");
  }
}
