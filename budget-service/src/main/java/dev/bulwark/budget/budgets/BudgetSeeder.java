package dev.bulwark.budget.budgets;

import dev.bulwark.budget.config.BudgetConfig;
import dev.bulwark.budget.store.BudgetStore;
import dev.bulwark.common.money.Money;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Creates the configured default budgets on a fresh install: only while no budget exists at all, so
 * budgets an operator archived never come back.
 */
public class BudgetSeeder {

  private static final Logger LOG = Logger.getLogger(BudgetSeeder.class);

  void onStart(@Observes StartupEvent event, BudgetConfig config, BudgetStore store, Clock clock) {
    if (!config.seed().enabled() || config.seed().budgets().isEmpty()) {
      return;
    }
    List<Budget> defaults =
        config.seed().budgets().entrySet().stream()
            .map(seed -> toBudget(seed.getKey(), seed.getValue()))
            .toList();
    int created = store.insertIntoEmpty(defaults, clock.instant()).await().indefinitely();
    if (created > 0) {
      LOG.infof("seeded %d default budgets on a fresh install", created);
    }
  }

  static Budget toBudget(String name, BudgetConfig.SeedBudget seed) {
    return new Budget(
        UUID.randomUUID(),
        name,
        parseScope(seed.scope().orElse("")),
        seed.period(),
        Budgets.zone(seed.timeZone()),
        Money.exact(seed.limitUsd()),
        seed.softRatio(),
        seed.mode(),
        seed.exported(),
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
