package dev.bulwark.budget.budgets;

import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.store.BudgetStore;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Creates the configured default budgets on a fresh install: only while no budget exists at all, so
 * budgets an operator archived never come back.
 */
public class BudgetSeeder {

  private static final Logger LOG = Logger.getLogger(BudgetSeeder.class);

  void onStart(@Observes StartupEvent event, BudgetConfig config, Pool pool, BudgetStore store) {
    if (!config.seed().enabled() || config.seed().budgets().isEmpty()) {
      return;
    }
    Integer created =
        pool.withTransaction(
                tx ->
                    // Replicas starting together: one seeds, the others then see budgets.
                    tx.query(
                            "SELECT pg_advisory_xact_lock(hashtextextended('bulwark-budget-seed', 7))")
                        .execute()
                        .chain(
                            () -> tx.query("SELECT EXISTS (SELECT 1 FROM budget.budget)").execute())
                        .chain(
                            rows -> {
                              if (rows.iterator().next().getBoolean(0)) {
                                return Uni.createFrom().item(0);
                              }
                              Uni<Integer> chain = Uni.createFrom().item(0);
                              for (Map.Entry<String, BudgetConfig.SeedBudget> seed :
                                  config.seed().budgets().entrySet()) {
                                Budget budget = toBudget(seed.getKey(), seed.getValue());
                                chain =
                                    chain.chain(n -> store.insert(tx, budget).replaceWith(n + 1));
                              }
                              return chain;
                            }))
            .await()
            .indefinitely();
    if (created > 0) {
      LOG.infof("seeded %d default budgets on a fresh install", created);
    }
  }

  static Budget toBudget(String name, BudgetConfig.SeedBudget seed) {
    return new Budget(
        UUID.randomUUID(),
        name,
        parseScope(seed.scope().orElse("")),
        PeriodKind.fromWire(seed.period()),
        Budgets.zone(seed.timeZone()),
        dev.bulwark.common.money.Money.exact(seed.limitUsd()),
        seed.softRatio(),
        Mode.fromWire(seed.mode()),
        null,
        null,
        null);
  }

  /** {@code category=llm,team=enrichment} to a map. */
  static Map<String, String> parseScope(String scope) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : scope.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new IllegalArgumentException("seed scope entry '" + pair + "' is not key=value");
      }
      map.put(kv[0].trim(), kv[1].trim());
    }
    return map;
  }
}
