package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.exported.GateMetrics;
import dev.bulwark.budget.store.GateStore;
import dev.bulwark.budget.store.ReservationStore;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two gates, each with its own batcher and connection pool, on one database. */
@QuarkusTest
class TwoReplicasTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource("/api/v1/reservations")
  URL reservations;

  @Inject Vertx vertx;
  @Inject ObjectMapper json;
  @Inject BudgetConfig config;

  /** Pinned at noon: the daily budgets below never roll over mid-test, whatever the hour. */
  private MutableClock clock;

  private GateLoad load;

  @BeforeEach
  void pinTheClock() {
    clock = MutableClock.todayAtNoon();
    QuarkusMock.installMockForType(clock, Clock.class);
    load = new GateLoad(reservations, postgres);
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
              HttpResponse<String> response = load.send(body, token);
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
    UsageSampler sampler = UsageSampler.start(postgres, budget);
    try {
      GateLoad.runTogether(clients, clients.size());
    } finally {
      pool.closeAndAwait();
    }
    BigDecimal maxUsed = sampler.stop();

    assertThat(grantedHere.get() + grantedThere.get()).isEqualTo(150);
    assertThat(grantedHere).as("granted by the application").hasPositiveValue();
    assertThat(grantedThere).as("granted by the second replica").hasPositiveValue();
    assertThat(deniedHere.get() + deniedThere.get()).isEqualTo(250);
    assertThat(maxUsed).isLessThanOrEqualTo(new BigDecimal("150"));
    assertThat(load.used(budget)).isEqualByComparingTo("150");
  }

  private static ReserveCommand command(String category, String key) {
    return new ReserveCommand(
        key, category, null, null, Map.of(), BigDecimal.ONE, Duration.ofMinutes(5));
  }
}
