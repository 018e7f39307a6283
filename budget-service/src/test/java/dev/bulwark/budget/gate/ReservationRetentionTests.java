package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.as;
import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.reserve;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.budget.store.RetentionStore;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PrometheusText;
import dev.bulwark.testing.Scrapes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reservations are kept for the retention window (24 h here) and then removed, the ledger and the
 * period counters staying whole; a denial stores no more than the answer it replays.
 */
@QuarkusTest
class ReservationRetentionTests {

  private static final Duration WINDOW = Duration.ofHours(24);

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @Inject ReservationRetention retention;

  @Inject RetentionStore store;

  private MutableClock clock;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void afterTheWindowSettledAndDeniedReservationsGoWhileHeldAndRecentOnesStay() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "total", "5");
    Instant start = clock.instant();
    // At the start: one committed, one denied.
    String committed = granted(key(), category, "3", 3600);
    commit(committed, "3");
    String deniedKey = key();
    Map<String, Object> deniedBody = Map.of("category", category, "estimateUsd", 4);
    Response denial = reserve(deniedKey, deniedBody);
    denial.then().statusCode(200).body("granted", equalTo(false));
    String denied = denial.path("reservationId");
    // Two hours later: one released (inside the window at the end) and one held for a day.
    clock.advance(Duration.ofHours(2));
    String released = granted(key(), category, "1", 3600);
    as("pipeline").post("/api/v1/reservations/" + released + "/release").then().statusCode(200);
    String held = granted(key(), category, "1", 86_400);

    // Inside the window the denial replays unchanged.
    reserve(deniedKey, deniedBody)
        .then()
        .header("Idempotent-Replayed", "true")
        .body(equalTo(denial.asString()));

    String ledgerBefore = ledger(category);
    String countersBefore = counters(budget);
    Instant end = start.plus(WINDOW).plus(Duration.ofHours(1));
    long due = dueAt(end);
    assertThat(due).isGreaterThanOrEqualTo(2);
    PrometheusText before = Scrapes.scrape(metrics);
    clock.set(end);

    // A run stopped after its first batch (a crash, a lost lock) removed one, oldest first...
    int first = store.removeBatch(end.minus(WINDOW), 1).await().atMost(Duration.ofSeconds(10));
    assertThat(first).isEqualTo(1);
    assertThat(dueAt(end)).isEqualTo(due - 1);
    // ...and runs racing each other finish the rest, each reservation removed once (the counter
    // below also counts a scheduled run that may have joined them).
    List<Integer> removed = runTogether(4);
    assertThat(removed.stream().mapToInt(Integer::intValue).sum()).isBetween(1, (int) due - 1);
    assertThat(dueAt(end)).isZero();

    assertThat(exists(committed)).isFalse();
    assertThat(exists(denied)).isFalse();
    assertThat(count("budget.reservation_hold WHERE reservation_id = '" + committed + "'"))
        .isZero();
    assertThat(exists(released)).isTrue();
    as("viewer")
        .get("/api/v1/reservations/" + held)
        .then()
        .statusCode(200)
        .body("status", equalTo("held"));
    as("viewer").get("/api/v1/reservations/" + committed).then().statusCode(404);
    // The money stays: the same ledger entries and the same period counters.
    assertThat(ledger(category)).isEqualTo(ledgerBefore).contains("3.000000");
    assertThat(counters(budget)).isEqualTo(countersBefore);

    retention.measure().await().atMost(Duration.ofSeconds(10));
    Scrapes.awaitAsserted(
        metrics,
        "removals counted, nothing older than the window stored",
        scrape -> {
          // All but the one removed by the store directly, outside the use case that counts.
          assertThat(scrape.value("bulwark_budget_reservations_removed_total"))
              .hasValue(
                  before.value("bulwark_budget_reservations_removed_total").orElse(0) + due - 1);
          // The released reservation (23 h old) is stored; what else is stored is younger than
          // the window (rows of tests on the real clock, depending on the hour they ran).
          assertThat(scrape.value("bulwark_budget_retention_oldest_age_seconds").orElseThrow())
              .isBetween((double) Duration.ofHours(23).toSeconds(), (double) WINDOW.toSeconds());
          assertThat(scrape.value("bulwark_budget_retention_window_seconds"))
              .hasValue((double) WINDOW.toSeconds());
          assertThat(scrape.value("bulwark_budget_retention_up")).hasValue(1);
        });

    // After the window the key is unknown again: the same request is a new request.
    reserve(deniedKey, deniedBody)
        .then()
        .statusCode(200)
        .header("Idempotent-Replayed", "false")
        .body("reservationId", org.hamcrest.Matchers.not(equalTo(denied)));
  }

  @Test
  void aRemovalKilledMidwayRemovesNothingAndALockedReservationIsLeftToTheNextRun()
      throws Exception {
    String category = uniqueCategory();
    String first = granted(key(), category, "1", 60);
    commit(first, "1");
    String second = granted(key(), category, "1", 60);
    commit(second, "1");
    clock.advance(WINDOW.plus(Duration.ofMinutes(1)));
    String both = "budget.reservation WHERE id IN ('" + first + "', '" + second + "')";

    try (Connection remover = connect();
        Connection gateBatch = connect()) {
      // A removal whose connection dies before it commits (a crashed replica) removes nothing.
      remover.setAutoCommit(false);
      remover.createStatement().executeUpdate("DELETE FROM " + both);
      int pid = backendPid(remover);
      postgres.primary().queryValue("SELECT pg_terminate_backend(" + pid + ")::text");
      await("the killed removal's backend is gone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> count("pg_stat_activity WHERE pid = " + pid) == 0);
      assertThat(count(both)).isEqualTo(2);

      // A reservation a gate batch has locked (a late commit in flight) is skipped, not waited on.
      gateBatch.setAutoCommit(false);
      gateBatch
          .createStatement()
          .executeQuery("SELECT id FROM budget.reservation WHERE id = '" + first + "' FOR UPDATE");
      retention.removeExpired().await().atMost(Duration.ofSeconds(10));
      assertThat(exists(first)).isTrue();
      assertThat(exists(second)).isFalse();
      gateBatch.rollback();
    }
    // The next run, stateless, takes what the last one left.
    retention.removeExpired().await().atMost(Duration.ofSeconds(10));
    assertThat(exists(first)).isFalse();
    assertThat(
            new BigDecimal(
                postgres
                    .primary()
                    .queryValue(
                        "SELECT sum(amount_usd) FROM budget.spend WHERE category = '"
                            + category
                            + "'")))
        .isEqualByComparingTo("2");
  }

  @Test
  void aDenialStoresOnlyTheBudgetThatDeniedAndReplaysExactly() {
    String category = uniqueCategory();
    createBudget(category + "-wide", Map.of("category", category), "daily", "100");
    String narrow =
        createBudget(category + "-narrow", Map.of("category", category, "team", "t"), "daily", "1");
    String key = key();
    Map<String, Object> body = Map.of("category", category, "team", "t", "estimateUsd", 2);

    Response first = reserve(key, body);
    first
        .then()
        .statusCode(200)
        .body("granted", equalTo(false))
        .body("deniedBy.budgetId", equalTo(narrow))
        .body("budgets.size()", equalTo(1))
        .body("budgets[0].budgetId", equalTo(narrow));
    Response replay = reserve(key, body);

    replay.then().header("Idempotent-Replayed", "true");
    assertThat(replay.asString()).isEqualTo(first.asString());
    String id = first.path("reservationId");
    int stored =
        Integer.parseInt(
            postgres
                .primary()
                .queryValue(
                    "SELECT pg_column_size(decision) FROM budget.reservation WHERE id = '"
                        + id
                        + "'"));
    assertThat(stored).isLessThan(400);
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(
        postgres.primary().jdbcUrl("postgres"), postgres.primary().user(), "");
  }

  private static int backendPid(Connection connection) throws SQLException {
    try (ResultSet rs = connection.createStatement().executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  private static String granted(String key, String category, String estimate, int ttlSeconds) {
    return reserve(
            key,
            Map.of(
                "category",
                category,
                "estimateUsd",
                new BigDecimal(estimate),
                "ttlSeconds",
                ttlSeconds))
        .then()
        .statusCode(200)
        .body("granted", equalTo(true))
        .extract()
        .path("reservationId");
  }

  private static void commit(String id, String actual) {
    as("pipeline")
        .body(Map.of("actualUsd", new BigDecimal(actual)))
        .post("/api/v1/reservations/" + id + "/commit")
        .then()
        .statusCode(200);
  }

  private List<Integer> runTogether(int runs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return retention.removeExpired().await().atMost(Duration.ofSeconds(30));
                }));
      }
      go.countDown();
      List<Integer> removed = new ArrayList<>();
      for (Future<Integer> f : futures) {
        removed.add(f.get());
      }
      return removed;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Reservations the window lets go at {@code at}. */
  private long dueAt(Instant at) {
    return count(
        "budget.reservation WHERE status <> 'held' AND coalesce(settled_at, created_at) < '"
            + at.minus(WINDOW)
            + "'");
  }

  private long count(String from) {
    return Long.parseLong(postgres.primary().queryValue("SELECT count(*) FROM " + from));
  }

  private boolean exists(String id) {
    return count("budget.reservation WHERE id = '" + id + "'") == 1;
  }

  private String ledger(String category) {
    return postgres
        .primary()
        .queryValue(
            "SELECT string_agg(concat_ws('/', reservation_id, amount_usd, kind), ',' ORDER BY id)"
                + " FROM budget.spend WHERE category = '"
                + category
                + "'");
  }

  private String counters(String budget) {
    return postgres
        .primary()
        .queryValue(
            "SELECT string_agg(concat_ws('/', period_start, spent_usd, held_usd, overrun_usd),"
                + " ',') FROM budget.budget_period WHERE budget_id = '"
                + budget
                + "'");
  }
}
