package dev.bulwark.budget.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.PostgresCluster;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Reads spent + held of a budget over and over while requests run, keeping the maximum seen. */
final class UsageSampler {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<BigDecimal> max = new AtomicReference<>(BigDecimal.ZERO);
  private final Thread thread;

  private UsageSampler(PostgresCluster postgres, String budgetId) {
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

  static UsageSampler start(PostgresCluster postgres, String budgetId) {
    return new UsageSampler(postgres, budgetId);
  }

  BigDecimal stop() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
    assertThat(max.get()).as("sampler failed").isNotEqualByComparingTo("-1");
    return max.get();
  }
}
