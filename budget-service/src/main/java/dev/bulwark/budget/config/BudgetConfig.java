package dev.bulwark.budget.config;

import dev.bulwark.budget.budgets.Mode;
import dev.bulwark.budget.budgets.PeriodKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** budget-service settings under {@code bulwark.budget}. */
@ConfigMapping(prefix = "bulwark.budget")
public interface BudgetConfig {

  Gate gate();

  Seed seed();

  Retention retention();

  /** How often the per-budget gauges are refreshed from the database. */
  @WithDefault("15s")
  Duration gaugesEvery();

  /**
   * Most exported budgets with gauges of their own (five series each); beyond it the newer ones are
   * counted in the aggregates and in {@code bulwark_budget_exported_left_out}.
   */
  @WithDefault("100")
  int exportedLimit();

  /** How the gate batches and bounds reservations. */
  interface Gate {
    /** Most operations decided in one transaction. */
    @WithDefault("256")
    int maxBatch();

    /**
     * Batches one replica runs at once. With two, the next batch settles and looks up its keys
     * while the other holds the period rows; the row locks still serialise their decisions.
     */
    @WithDefault("2")
    int maxInFlight();

    /** Shortest and longest hold a caller may ask for. */
    @WithDefault("PT1S")
    Duration minTtl();

    @WithDefault("PT24H")
    Duration maxTtl();

    /** How often expired holds are released (by one replica). */
    @WithDefault("5s")
    Duration expiryEvery();
  }

  /** How long reservations stay replayable, and how the job that removes them afterwards runs. */
  interface Retention {
    /**
     * How long an idempotency key and its replay body are kept after the reservation's last
     * activity (its settlement, else its decision). 24 hours, as Stripe keeps keys: longer than any
     * client retries a request, and at least the longest hold ({@code gate.max-ttl}), so a late
     * commit within a day of its hold's expiry still finds it.
     */
    @WithDefault("PT24H")
    Duration window();

    /** How often settled and denied reservations past the window are removed (one replica). */
    @WithDefault("1m")
    Duration every();

    /** Reservations removed per transaction: small enough that no lock is held for long. */
    @WithDefault("1000")
    int batchSize();
  }

  /** Budgets created on a fresh install (only while no budget exists at all). */
  interface Seed {
    @WithDefault("true")
    boolean enabled();

    /** Budget name to its definition. */
    Map<String, SeedBudget> budgets();
  }

  /** One seeded budget. */
  interface SeedBudget {
    /** Scope as {@code key=value} pairs separated by commas; empty matches everything. */
    Optional<String> scope();

    PeriodKind period();

    @WithDefault("UTC")
    String timeZone();

    BigDecimal limitUsd();

    @WithDefault("0.8")
    BigDecimal softRatio();

    @WithDefault("enforce")
    Mode mode();

    /** Seeded budgets carry the alerts of a fresh install, so they have gauges of their own. */
    @WithDefault("true")
    boolean exported();
  }
}
