package dev.bulwark.metrics.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /api/v1/email-stats}: 25 campaigns whose counts follow a formula with many ties, so
 * that the expected ranking is computed here and a page boundary falls inside a tie.
 */
@QuarkusTest
class EmailStatsResourceTests {

  private static final int CAMPAIGNS = 25;

  /** A campaign's counts as posted: the formula every expectation below is computed from. */
  private record Sent(String campaign, int delivered, int hard, int soft, int complaints) {
    long bounces() {
      return hard + soft;
    }
  }

  private static final List<Sent> SENT =
      IntStream.range(0, CAMPAIGNS)
          .mapToObj(i -> new Sent(String.format("c%02d", i), 5 + i, i % 3, (i / 3) % 2, i * 7 % 4))
          .toList();

  @InjectPostgres PostgresCluster postgres;

  private MutableClock clock;

  @BeforeEach
  void givenTwentyFiveCampaignsHalfAnHourAgo() {
    postgres.primary().execute("TRUNCATE metrics.email_event, metrics.email_rollup");
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
    List<Map<String, Object>> events = new ArrayList<>();
    Instant at = clock.instant().minus(Duration.ofMinutes(30));
    for (Sent c : SENT) {
      events.addAll(events(c.campaign(), c.delivered(), "delivered", null, at));
      events.addAll(events(c.campaign(), c.hard(), "bounced", "hard", at));
      events.addAll(events(c.campaign(), c.soft(), "bounced", "soft", at));
      events.addAll(events(c.campaign(), c.complaints(), "complained", null, at));
    }
    for (int from = 0; from < events.size(); from += 200) {
      post(events.subList(from, Math.min(events.size(), from + 200)));
    }
  }

  @Test
  void aFirstPageRanksByBouncesOverTheLastDayByDefault() {
    List<Sent> expected = ranked(Sent::bounces);
    Sent worst = expected.get(0);

    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .get("/api/v1/email-stats")
        .then()
        .statusCode(200)
        .body("window", equalTo("24h"))
        .body("sort", equalTo("bounces"))
        .body("to", equalTo(clock.instant().toString()))
        .body("campaigns.campaign", equalTo(names(expected)))
        .body("campaigns[0].hardBounces", equalTo(worst.hard()))
        .body("campaigns[0].softBounces", equalTo(worst.soft()))
        .body("campaigns[0].delivered", equalTo(worst.delivered()))
        .body("campaigns[0].complaints", equalTo(worst.complaints()))
        .body(
            "campaigns[0].bounceRatio",
            equalTo((float) worst.hard() / (worst.delivered() + worst.hard())))
        .body("nextCursor", nullValue());
  }

  @ParameterizedTest
  @CsvSource({"complaints, 7", "hardBounces, 3", "bounces, 6"})
  void ranksBySortLargestFirstThenByName(String sort, int limit) {
    ToLongFunction<Sent> key =
        switch (sort) {
          case "complaints" -> Sent::complaints;
          case "hardBounces" -> Sent::hard;
          default -> Sent::bounces;
        };

    ExtractableResponse<Response> page = page("sort=" + sort + "&limit=" + limit);

    assertThat(page.jsonPath().getList("campaigns.campaign", String.class))
        .isEqualTo(names(ranked(key)).subList(0, limit));
    assertThat(page.jsonPath().getString("nextCursor")).isNotBlank();
  }

  @ParameterizedTest
  @CsvSource({"bounces, 4", "complaints, 4", "hardBounces, 7", "bounces, 1"})
  void walkingEveryPageReturnsEachCampaignOnceInRankOrder(String sort, int limit) {
    List<String> expected =
        names(
            ranked(
                switch (sort) {
                  case "complaints" -> Sent::complaints;
                  case "hardBounces" -> Sent::hard;
                  default -> Sent::bounces;
                }));
    // The walk must cross at least one tie, or it would not test the tie-break.
    assertThat(tieSplitByAPage(sort, limit)).isTrue();

    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ExtractableResponse<Response> page =
          page("sort=" + sort + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
      List<String> names = page.jsonPath().getList("campaigns.campaign", String.class);
      assertThat(names).hasSizeLessThanOrEqualTo(limit).isNotEmpty();
      walked.addAll(names);
      cursor = page.jsonPath().getString("nextCursor");
      pages++;
    } while (cursor != null && pages <= CAMPAIGNS);

    assertThat(walked).isEqualTo(expected).doesNotHaveDuplicates().hasSize(CAMPAIGNS);
    assertThat(pages).isEqualTo((CAMPAIGNS + limit - 1) / limit);
  }

  @Test
  void laterPagesKeepTheFirstPagesWindowEnd() {
    ExtractableResponse<Response> first = page("limit=5");
    String to = first.jsonPath().getString("to");

    // Ten minutes on (past the rollup's 5-minute bucket), a campaign bounces more than any other.
    clock.advance(Duration.ofMinutes(10));
    post(events("z-late", 50, "bounced", "hard", clock.instant()));

    List<String> rest = new ArrayList<>();
    String cursor = first.jsonPath().getString("nextCursor");
    while (cursor != null) {
      ExtractableResponse<Response> page = page("cursor=" + cursor);
      assertThat(page.jsonPath().getString("to")).isEqualTo(to);
      rest.addAll(page.jsonPath().getList("campaigns.campaign", String.class));
      cursor = page.jsonPath().getString("nextCursor");
    }
    assertThat(rest).hasSize(CAMPAIGNS - 5).doesNotContain("z-late");
    // A new walk sees it first.
    assertThat(page("limit=1").jsonPath().getString("campaigns[0].campaign")).isEqualTo("z-late");
  }

  @ParameterizedTest
  @CsvSource({
    "sort=worst, sort, bounces, hardBounces or complaints",
    "limit=0, limit, from 1 to 500",
    "limit=501, limit, from 1 to 500",
    "limit=ten, limit, from 1 to 500",
    "window=2h, window, 1h, 24h or 7d",
    "cursor=not-a-cursor, cursor, start again without a cursor",
    "cursor=YzEKYm91bmNlcwoyNGgKeAo1CmMwMQ, cursor, start again without a cursor"
  })
  void aBadParameterIs400NamingIt(String query, String field, String hint) {
    given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .get("/api/v1/email-stats?" + query)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo(field))
        .body("detail", containsString(hint));
  }

  @Test
  void aCursorOfAnotherSortOrWindowIs400() {
    String cursor = page("sort=bounces&limit=2").jsonPath().getString("nextCursor");

    for (String other : List.of("sort=complaints", "window=7d")) {
      given()
          .auth()
          .oauth2(TestJwt.token("viewer"))
          .get("/api/v1/email-stats?" + other + "&cursor=" + cursor)
          .then()
          .statusCode(400)
          .body("errors[0].field", equalTo("cursor"))
          .body("detail", containsString("was issued for"));
    }
  }

  private static List<Sent> ranked(ToLongFunction<Sent> key) {
    return SENT.stream()
        .sorted(Comparator.comparingLong(key).reversed().thenComparing(Sent::campaign))
        .toList();
  }

  /** Whether some page of {@code limit} ends inside a run of equal keys. */
  private static boolean tieSplitByAPage(String sort, int limit) {
    ToLongFunction<Sent> key =
        switch (sort) {
          case "complaints" -> Sent::complaints;
          case "hardBounces" -> Sent::hard;
          default -> Sent::bounces;
        };
    List<Sent> ranked = ranked(key);
    for (int end = limit; end < ranked.size(); end += limit) {
      if (key.applyAsLong(ranked.get(end - 1)) == key.applyAsLong(ranked.get(end))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> names(List<Sent> campaigns) {
    return campaigns.stream().map(Sent::campaign).toList();
  }

  private static ExtractableResponse<Response> page(String query) {
    return given()
        .auth()
        .oauth2(TestJwt.token("viewer"))
        .get("/api/v1/email-stats?" + query)
        .then()
        .statusCode(200)
        .extract();
  }

  private static List<Map<String, Object>> events(
      String campaign, int count, String event, String bounceType, Instant at) {
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> e = new HashMap<>();
      e.put("providerEventId", campaign + "-" + event + "-" + bounceType + "-" + i);
      e.put("event", event);
      if (bounceType != null) {
        e.put("bounceType", bounceType);
      }
      e.put("campaign", campaign);
      e.put("occurredAt", at.toString());
      events.add(e);
    }
    return events;
  }

  private static void post(List<Map<String, Object>> events) {
    given()
        .auth()
        .oauth2(TestJwt.token("pipeline"))
        .contentType(ContentType.JSON)
        .body(Map.of("events", events))
        .post("/api/v1/email-events")
        .then()
        .statusCode(200)
        .body("stored", equalTo(events.size()));
  }
}
