package dev.bulwark.budget.gate;

import static dev.bulwark.budget.BudgetApi.createBudget;
import static dev.bulwark.budget.BudgetApi.uniqueCategory;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.common.problem.ProblemException;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.MutableClock;
import dev.bulwark.testing.PostgresCluster;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commits, releases and expiry racing for the same holds. */
@QuarkusTest
class SettlementRaceTests {

  @InjectPostgres PostgresCluster postgres;

  @TestHTTPResource("/api/v1/reservations")
  URL reservations;

  @Inject Reservations gate;

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
    GateLoad.runTogether(calls, 16);

    assertThat(unexpected).isEmpty();
    Map<UUID, ReservationStatus> finalStatus = new HashMap<>();
    Map<UUID, Boolean> late = new HashMap<>();
    for (UUID id : all) {
      Reservation found = gate.find(id).await().atMost(Duration.ofSeconds(10));
      finalStatus.put(id, found.status());
      late.put(id, found.late());
    }
    // A hold past its TTL expires first, whoever asks; its commits then record it late, once.
    // A release may have seen it expired before that.
    assertThat(shortLived)
        .allSatisfy(
            id -> {
              assertThat(finalStatus.get(id)).isEqualTo(ReservationStatus.COMMITTED);
              assertThat(late.get(id)).isTrue();
              assertThat(answered.get(id))
                  .as(id.toString())
                  .contains(ReservationStatus.COMMITTED)
                  .isSubsetOf(ReservationStatus.EXPIRED, ReservationStatus.COMMITTED);
            });
    // Every answer that succeeded on a live hold saw the one state it ended in.
    assertThat(longLived)
        .allSatisfy(
            id -> {
              assertThat(answered.get(id)).as(id.toString()).containsOnly(finalStatus.get(id));
              assertThat(late.get(id)).isFalse();
            });
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
    List<UUID> spent = new ArrayList<>(shortLived);
    spent.addAll(committed);
    BigDecimal committedUsd =
        spent.stream().map(amounts::get).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(
            load.query(
                "SELECT held_usd FROM budget.budget_period WHERE budget_id = '" + budget + "'"))
        .isEqualByComparingTo("0");
    assertThat(
            load.query(
                "SELECT spent_usd FROM budget.budget_period WHERE budget_id = '" + budget + "'"))
        .isEqualByComparingTo(committedUsd);
    assertThat(load.query("SELECT count(*) FROM budget.spend WHERE category = '" + category + "'"))
        .isEqualByComparingTo(BigDecimal.valueOf(spent.size()));
    assertThat(
            load.query(
                "SELECT count(*) FROM budget.spend WHERE kind = 'late' AND category = '"
                    + category
                    + "'"))
        .isEqualByComparingTo(BigDecimal.valueOf(shortLived.size()));
    assertThat(
            load.query(
                "SELECT coalesce(sum(amount_usd), 0) FROM budget.spend WHERE category = '"
                    + category
                    + "'"))
        .isEqualByComparingTo(committedUsd);
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
}
