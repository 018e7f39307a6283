package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.exported.GateMetrics;
import dev.bulwark.budget.store.GateStore;
import dev.bulwark.budget.store.ReservationStore;
import dev.bulwark.common.problem.ProblemException;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresResource;
import dev.bulwark.testing.TestJwt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class GateConcurrencyTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource("/api/v1/reservations")
  URL reservations;

  @Inject Reservations gate;
  @Inject Vertx vertx;
  @Inject ObjectMapper json;
  @Inject BudgetConfig config;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** Pinned at noon: the daily budgets below never roll over mid-test, whatever the hour. */
  private MutableClock clock;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
  }

  @Test
  void grantsExactlyTheLimitUnderConcurrency() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "50");

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add("{\"category\":\"" + category + "\",\"estimateUsd\":1}");
    }
    Sampler sampler = Sampler.start(postgres, budget);
    List<HttpResponse<String>> responses = fire(bodies, null);
    BigDecimal maxUsed = sampler.stop();

    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(responses.stream().filter(r -> r.body().contains("\"granted\":true")).count())
        .isEqualTo(50);
    assertThat(maxUsed).isLessThanOrEqualTo(new BigDecimal("50"));
    assertThat(used(budget)).isEqualByComparingTo("50");
  }

  @Test
  void grantsOnlyWhatFitsInEveryOverlappingBudget() throws Exception {
    String category = uniqueCategory();
    String team = "team-" + category;
    String wide = createBudget(category, Map.of("category", category), "daily", "50");
    String narrow = createBudget(team, Map.of("team", team), "daily", "30");

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add(
          i % 2 == 0
              ? "{\"category\":\"" + category + "\",\"team\":\"" + team + "\",\"estimateUsd\":1}"
              : "{\"category\":\"" + category + "\",\"estimateUsd\":1}");
    }
    Sampler wideSampler = Sampler.start(postgres, wide);
    Sampler narrowSampler = Sampler.start(postgres, narrow);
    List<HttpResponse<String>> responses = fire(bodies, null);
    BigDecimal wideMax = wideSampler.stop();
    BigDecimal narrowMax = narrowSampler.stop();

    long granted = responses.stream().filter(r -> r.body().contains("\"granted\":true")).count();
    assertThat(granted).isEqualTo(50);
    assertThat(wideMax).isLessThanOrEqualTo(new BigDecimal("50"));
    assertThat(narrowMax).isLessThanOrEqualTo(new BigDecimal("30"));
    assertThat(used(wide)).isEqualByComparingTo("50");
    assertThat(used(narrow)).isLessThanOrEqualTo(new BigDecimal("30"));
    assertThat(responses.stream().filter(r -> r.body().contains("\"deniedBy\"")).count())
        .isEqualTo(150);
  }

  @Test
  void concurrentReplaysOfOneKeyHoldOnce() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "100");
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bodies.add("{\"category\":\"" + category + "\",\"estimateUsd\":3}");
    }

    List<HttpResponse<String>> responses = fire(bodies, "same-key-" + category);

    List<String> ids =
        responses.stream()
            .map(r -> r.body().replaceAll(".*\"reservationId\":\"([^\"]+)\".*", "$1"))
            .distinct()
            .toList();
    assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(ids).hasSize(1);
    assertThat(used(budget)).isEqualByComparingTo("3");
    assertThat(
            postgres
                .primary()
                .queryValue(
                    "SELECT count(*) FROM budget.reservation WHERE idempotency_key = 'same-key-"
                        + category
                        + "'"))
        .isEqualTo("1");
  }

  @Test
  void narrowBudgetDeniesWhileTheWideOneStillHasRoom() throws Exception {
    String category = uniqueCategory();
    String team = "team-" + category;
    String wide = createBudget(category, Map.of("category", category), "daily", "200");
    String narrow = createBudget(team, Map.of("team", team), "daily", "10");
    String teamBody =
        "{\"category\":\"" + category + "\",\"team\":\"" + team + "\",\"estimateUsd\":1}";
    String otherBody = "{\"category\":\"" + category + "\",\"estimateUsd\":1}";
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      // Two team requests for each other one, interleaved.
      bodies.add(i % 3 == 2 ? otherBody : teamBody);
    }

    Sampler narrowSampler = Sampler.start(postgres, narrow);
    List<HttpResponse<String>> responses = fire(bodies, null);
    BigDecimal narrowMax = narrowSampler.stop();

    long teamGranted = 0;
    long otherGranted = 0;
    for (int i = 0; i < bodies.size(); i++) {
      HttpResponse<String> r = responses.get(i);
      assertThat(r.statusCode()).isEqualTo(200);
      boolean granted = r.body().contains("\"granted\":true");
      if (bodies.get(i) == teamBody) {
        teamGranted += granted ? 1 : 0;
        if (!granted) {
          assertThat(r.body()).contains("\"deniedBy\":{\"budgetId\":\"" + narrow + "\"");
        }
      } else {
        otherGranted += granted ? 1 : 0;
      }
    }
    // Exactly the narrow limit of the 100 team requests; every one of the 50 others fits.
    assertThat(teamGranted).isEqualTo(10);
    assertThat(otherGranted).isEqualTo(50);
    assertThat(narrowMax).isLessThanOrEqualTo(new BigDecimal("10"));
    assertThat(used(narrow)).isEqualByComparingTo("10");
    // The wide budget still has room: it was never what denied.
    assertThat(used(wide)).isEqualByComparingTo("60");
  }

  @Test
  void commitsReleasesAndExpiryOfTheSameHoldsEndEachInOneTerminalState() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "1000");
    // Half the holds live one second, the other half ten minutes.
    List<UUID> shortLived = new ArrayList<>();
    List<UUID> longLived = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Duration ttl = i < 30 ? Duration.ofSeconds(1) : Duration.ofMinutes(10);
      UUID id = hold(gate, category, ttl);
      (i < 30 ? shortLived : longLived).add(id);
    }
    Map<UUID, BigDecimal> amounts = new HashMap<>();
    List<UUID> all = new ArrayList<>(shortLived);
    all.addAll(longLived);
    for (int i = 0; i < all.size(); i++) {
      amounts.put(all.get(i), new BigDecimal(i % 5 + 1));
    }
    // The short holds are now past their TTL; the expiry job (every second) and the calls below
    // race the commits and releases for them.
    clock.advance(Duration.ofSeconds(2));

    List<Runnable> calls = new ArrayList<>();
    Map<UUID, Set<ReservationStatus>> answered = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    for (UUID id : all) {
      answered.put(id, ConcurrentHashMap.newKeySet());
      for (int attempt = 0; attempt < 3; attempt++) {
        calls.add(() -> settle(gate.commit(id, amounts.get(id)), id, answered, unexpected));
        calls.add(() -> settle(gate.release(id), id, answered, unexpected));
      }
    }
    for (int i = 0; i < 10; i++) {
      calls.add(() -> gate.expireDue().await().atMost(Duration.ofSeconds(30)));
    }
    Collections.shuffle(calls);
    runTogether(calls, 16);

    assertThat(unexpected).isEmpty();
    Map<UUID, ReservationStatus> finalStatus = new HashMap<>();
    for (UUID id : all) {
      finalStatus.put(id, gate.find(id).await().atMost(Duration.ofSeconds(10)).status());
      // Every answer that succeeded saw the one state the hold ended in.
      assertThat(answered.get(id)).as(id.toString()).containsOnly(finalStatus.get(id));
    }
    // A hold past its TTL expires first, whoever asks.
    assertThat(shortLived)
        .allSatisfy(id -> assertThat(finalStatus.get(id)).isEqualTo(ReservationStatus.EXPIRED));
    assertThat(longLived)
        .allSatisfy(
            id ->
                assertThat(finalStatus.get(id))
                    .isIn(ReservationStatus.COMMITTED, ReservationStatus.RELEASED));
    List<UUID> committed =
        longLived.stream()
            .filter(id -> finalStatus.get(id) == ReservationStatus.COMMITTED)
            .toList();
    // Both settlements won some races: the test exercised the race it is about.
    assertThat(committed).isNotEmpty().hasSizeLessThan(longLived.size());
    BigDecimal committedUsd =
        committed.stream().map(amounts::get).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(
            query("SELECT held_usd FROM budget.budget_period WHERE budget_id = '" + budget + "'"))
        .isEqualByComparingTo("0");
    assertThat(
            query("SELECT spent_usd FROM budget.budget_period WHERE budget_id = '" + budget + "'"))
        .isEqualByComparingTo(committedUsd);
    assertThat(query("SELECT count(*) FROM budget.spend WHERE category = '" + category + "'"))
        .isEqualByComparingTo(BigDecimal.valueOf(committed.size()));
    assertThat(
            query(
                "SELECT coalesce(sum(amount_usd), 0) FROM budget.spend WHERE category = '"
                    + category
                    + "'"))
        .isEqualByComparingTo(committedUsd);
  }

  @Test
  void twoGatesOnOneDatabaseNeverOverspend() throws Exception {
    String category = uniqueCategory();
    String budget = createBudget(category, Map.of("category", category), "daily", "150");
    // A second replica's gate: its own batcher and its own connection pool to the same database,
    // built the way CDI builds the application's.
    PgConnectOptions options =
        PgConnectOptions.fromUri(postgres.primary().reactiveUrl("postgres"))
            .setUser(postgres.primary().user());
    io.vertx.sqlclient.Pool secondPool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(8))
            .connectingTo(options)
            .using(vertx.getDelegate())
            .build();
    Pool pool = Pool.newInstance(secondPool);
    Reservations second =
        new Reservations(
            new GateBatcher(new GateStore(pool), json, config, clock),
            new ReservationStore(pool),
            new GateMetrics(new SimpleMeterRegistry()),
            clock);
    String body = "{\"category\":\"" + category + "\",\"estimateUsd\":1}";
    String token = TestJwt.token("pipeline");
    AtomicInteger grantedHere = new AtomicInteger();
    AtomicInteger deniedHere = new AtomicInteger();
    AtomicInteger grantedThere = new AtomicInteger();
    AtomicInteger deniedThere = new AtomicInteger();
    // Eight clients on each replica, 25 requests one after another each: both replicas keep
    // deciding until well past the moment the limit is reached.
    List<Runnable> clients = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      clients.add(
          () -> {
            for (int i = 0; i < 25; i++) {
              HttpResponse<String> response = send(body, token);
              assertThat(response.statusCode()).isEqualTo(200);
              (response.body().contains("\"granted\":true") ? grantedHere : deniedHere)
                  .incrementAndGet();
            }
          });
      clients.add(
          () -> {
            for (int i = 0; i < 25; i++) {
              boolean granted =
                  second
                      .reserve(command(category, UUID.randomUUID().toString()))
                      .await()
                      .atMost(Duration.ofSeconds(30))
                      .decision()
                      .granted();
              (granted ? grantedThere : deniedThere).incrementAndGet();
            }
          });
    }
    Sampler sampler = Sampler.start(postgres, budget);
    try {
      runTogether(clients, clients.size());
    } finally {
      pool.closeAndAwait();
    }
    BigDecimal maxUsed = sampler.stop();

    assertThat(grantedHere.get() + grantedThere.get()).isEqualTo(150);
    assertThat(grantedHere).as("granted by the application").hasPositiveValue();
    assertThat(grantedThere).as("granted by the second replica").hasPositiveValue();
    assertThat(deniedHere.get() + deniedThere.get()).isEqualTo(250);
    assertThat(maxUsed).isLessThanOrEqualTo(new BigDecimal("150"));
    assertThat(used(budget)).isEqualByComparingTo("150");
  }

  private static ReserveCommand command(String category, String key) {
    return new ReserveCommand(
        key, category, null, null, Map.of(), BigDecimal.ONE, Duration.ofMinutes(5));
  }

  private static UUID hold(Reservations gate, String category, Duration ttl) {
    Decision decision =
        gate.reserve(
                new ReserveCommand(
                    UUID.randomUUID().toString(),
                    category,
                    null,
                    null,
                    Map.of(),
                    BigDecimal.ONE,
                    ttl))
            .await()
            .atMost(Duration.ofSeconds(10))
            .decision();
    assertThat(decision.granted()).isTrue();
    return decision.reservationId();
  }

  /** Records the state a successful commit or release answered with; a refusal is expected. */
  private static void settle(
      Uni<Reservation> call,
      UUID id,
      Map<UUID, Set<ReservationStatus>> answered,
      ConcurrentLinkedQueue<String> unexpected) {
    try {
      answered.get(id).add(call.await().atMost(Duration.ofSeconds(30)).status());
    } catch (ProblemException refused) {
      if (refused.status() != 409) {
        unexpected.add(id + ": " + refused.getMessage());
      }
    }
  }

  /** Runs every call on {@code threads} threads, released together. */
  private static void runTogether(List<Runnable> calls, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  call.run();
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private BigDecimal query(String sql) {
    return new BigDecimal(postgres.primary().queryValue(sql));
  }

  private HttpResponse<String> send(String body, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(reservations.toString()))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends every body at once; each with its own idempotency key unless one is given. */
  private List<HttpResponse<String>> fire(List<String> bodies, String sharedKey) throws Exception {
    String token = TestJwt.token("pipeline");
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (String body : bodies) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(reservations.toString()))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header(
                  "Idempotency-Key", sharedKey != null ? sharedKey : UUID.randomUUID().toString())
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private BigDecimal used(String budgetId) {
    return new BigDecimal(
        postgres
            .primary()
            .queryValue(
                "SELECT coalesce(sum(spent_usd + held_usd), 0) FROM budget.budget_period WHERE budget_id = '"
                    + budgetId
                    + "'"));
  }

  /** Reads spent + held of a budget over and over while requests run, keeping the maximum seen. */
  private static final class Sampler {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<BigDecimal> max = new AtomicReference<>(BigDecimal.ZERO);
    private final Thread thread;

    private Sampler(PostgresCluster postgres, String budgetId) {
      thread =
          new Thread(
              () -> {
                try (Connection c = postgres.primary().connect("postgres");
                    Statement s = c.createStatement()) {
                  while (running.get()) {
                    try (ResultSet rows =
                        s.executeQuery(
                            "SELECT coalesce(max(spent_usd + held_usd), 0) FROM budget.budget_period WHERE budget_id = '"
                                + budgetId
                                + "'")) {
                      rows.next();
                      BigDecimal seen = rows.getBigDecimal(1);
                      max.accumulateAndGet(seen, BigDecimal::max);
                    }
                  }
                } catch (Exception e) {
                  max.set(new BigDecimal("-1"));
                }
              });
      thread.start();
    }

    static Sampler start(PostgresCluster postgres, String budgetId) {
      return new Sampler(postgres, budgetId);
    }

    BigDecimal stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
      assertThat(max.get()).as("sampler failed").isNotEqualByComparingTo("-1");
      return max.get();
    }
  }
}
