package dev.bulwark.budget.gate;

import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.TestJwt;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Puts concurrent load on the gate over HTTP and reads a budget's counters from the database. */
final class GateLoad {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URL reservations;
  private final PostgresCluster postgres;

  GateLoad(URL reservations, PostgresCluster postgres) {
    this.reservations = reservations;
    this.postgres = postgres;
  }

  /** Runs every call on {@code threads} threads, released together. */
  static void runTogether(List<Runnable> calls, int threads) throws Exception {
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

  /** The first value a query returns, as a number. */
  BigDecimal query(String sql) {
    return new BigDecimal(postgres.primary().queryValue(sql));
  }

  /** Sends one reserve with a fresh idempotency key and waits for the answer. */
  HttpResponse<String> send(String body, String token) {
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
  List<HttpResponse<String>> fire(List<String> bodies, String sharedKey) throws Exception {
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

  /** Spent plus held over every period of the budget. */
  BigDecimal used(String budgetId) {
    return new BigDecimal(
        postgres
            .primary()
            .queryValue(
                "SELECT coalesce(sum(spent_usd + held_usd), 0) FROM budget.budget_period WHERE budget_id = '"
                    + budgetId
                    + "'"));
  }
}
