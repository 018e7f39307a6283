package dev.bulwark.backup.llmcalls;

import static dev.bulwark.backup.llmcalls.LlmCalls.PATH;
import static dev.bulwark.backup.llmcalls.LlmCalls.VIEWER;
import static dev.bulwark.backup.llmcalls.LlmCalls.call;
import static dev.bulwark.backup.llmcalls.LlmCalls.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.testing.MutableClock;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading the archive back: pages by keyset with filters, and a range exported as JSON Lines. */
@QuarkusTest
class LlmCallQueryTests {

  private final MutableClock clock = MutableClock.todayAtNoon();
  private final String lead = "lead-" + UUID.randomUUID();
  private final String step = "step-" + UUID.randomUUID();

  @BeforeEach
  void pinTheClock() {
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void pagesWalkTheCallsInStartOrderWithTheirFilters() {
    List<String> ids = store(5, Duration.ofHours(2), Duration.ofMinutes(1), "gpt-4o-mini");
    store(2, Duration.ofHours(1), Duration.ofMinutes(1), "claude-haiku"); // another model

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonPath page = page(Map.of("step", step, "model", "gpt-4o-mini", "limit", "2"), cursor);
      seen.addAll(page.getList("calls.id"));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(ids);
    assertThat(pages).isEqualTo(3);
    JsonPath byLead = page(Map.of("leadId", lead, "limit", "500"), null);
    assertThat(byLead.getList("calls")).hasSize(7);
    assertThat(byLead.getString("calls[0].prompt")).contains(lead);
    assertThat(new BigDecimal(byLead.getString("calls[0].costUsd")))
        .isEqualByComparingTo("0.000147");
    assertThat(byLead.getString("calls[0].status")).isEqualTo("succeeded");
  }

  @Test
  void theRangeBoundsStartedAt() {
    List<String> ids = store(4, Duration.ofHours(4), Duration.ofHours(1), "gpt-4o-mini");
    Instant first = clock.instant().minus(Duration.ofHours(4));

    JsonPath middle =
        page(
            Map.of(
                "step",
                step,
                "from",
                first.plus(Duration.ofHours(1)).toString(),
                "to",
                first.plus(Duration.ofHours(3)).toString()),
            null);

    assertThat(middle.getList("calls.id")).containsExactly(ids.get(1), ids.get(2));
  }

  @Test
  void badParametersAreNamed() {
    store(3, Duration.ofHours(1), Duration.ofMinutes(1), "gpt-4o-mini");
    String cursor = page(Map.of("step", step, "limit", "1"), null).getString("nextCursor");

    refused(Map.of("step", "other", "limit", "1", "cursor", cursor), "cursor");
    refused(Map.of("cursor", "bm90LWEtY3Vyc29y"), "cursor");
    refused(Map.of("limit", "0"), "limit");
    refused(Map.of("from", "yesterday"), "from");
    refused(Map.of("from", "2026-01-02T00:00:00Z", "to", "2026-01-01T00:00:00Z"), "to");
    given()
        .auth()
        .oauth2(VIEWER)
        .get(PATH + "/export?to=2026-01-01T00:00:00Z")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo("from"));
  }

  @Test
  void anExportStreamsEveryCallOfTheRangeInOrderAsJsonLines() throws Exception {
    int batches = 10;
    List<String> ids = new ArrayList<>();
    Instant start = clock.instant().minus(Duration.ofDays(2));
    for (int b = 0; b < batches; b++) {
      List<Map<String, Object>> calls = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        Map<String, Object> call = call(start.plusMillis((b * 1000L + i) * 10), lead);
        call.put("step", step);
        calls.add(call);
        ids.add((String) call.get("id"));
      }
      post(calls).statusCode(200);
    }

    Response export =
        given()
            .auth()
            .oauth2(VIEWER)
            .queryParam("from", start.toString())
            .queryParam("to", clock.instant().toString())
            .queryParam("step", step)
            .get(PATH + "/export");

    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.contentType()).startsWith("application/x-ndjson");
    ObjectMapper json = new ObjectMapper();
    List<String> exported = new ArrayList<>();
    for (String line : export.asString().split("\n")) {
      if (!line.isBlank()) {
        JsonNode call = json.readTree(line);
        exported.add(call.get("id").asText());
      }
    }
    assertThat(exported).hasSize(10_000).containsExactlyElementsOf(ids);
  }

  @Test
  void onlyViewersAndOperatorsRead() {
    given().auth().oauth2(LlmCalls.PIPELINE).get(PATH + "/export").then().statusCode(403);
    given().get(PATH).then().statusCode(401);
  }

  /** {@code n} calls, the first {@code ago} before the clock, {@code every} apart; their ids. */
  private List<String> store(int n, Duration ago, Duration every, String model) {
    List<Map<String, Object>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> call = call(clock.instant().minus(ago).plus(every.multipliedBy(i)), lead);
      call.put("step", step);
      call.put("model", model);
      calls.add(call);
    }
    post(calls).statusCode(200);
    return calls.stream().map(c -> (String) c.get("id")).toList();
  }

  private static JsonPath page(Map<String, String> params, String cursor) {
    var request = given().auth().oauth2(VIEWER).queryParams(params);
    if (cursor != null) {
      request.queryParam("cursor", cursor);
    }
    return request.get(PATH).then().statusCode(200).extract().jsonPath();
  }

  private static void refused(Map<String, String> params, String field) {
    given()
        .auth()
        .oauth2(VIEWER)
        .queryParams(params)
        .get(PATH)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo(field));
  }
}
