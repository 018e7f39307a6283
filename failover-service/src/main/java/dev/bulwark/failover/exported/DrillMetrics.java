package dev.bulwark.failover.exported;

import dev.bulwark.failover.config.FailoverConfig;
import dev.bulwark.failover.drills.DrillKind;
import dev.bulwark.failover.drills.DrillState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code bulwark_failover_drills_total{group,kind,outcome}}: finished drills, registered at start
 * for every group, kind and outcome, so that a rule sees a zero before the first drill.
 */
// Started with the application, so that the counters are scraped as zeros before any drill.
@Startup
@ApplicationScoped
public class DrillMetrics {

  private final Map<String, Counter> counters = new HashMap<>();

  public DrillMetrics(MeterRegistry registry, FailoverConfig config) {
    for (String group : config.groups().keySet()) {
      for (DrillKind kind : DrillKind.values()) {
        for (DrillState outcome : new DrillState[] {DrillState.SUCCEEDED, DrillState.FAILED}) {
          counters.put(
              key(group, kind, outcome),
              Counter.builder("bulwark.failover.drills")
                  .description("Finished failover drills by kind and outcome")
                  .tag("group", group)
                  .tag("kind", kind.wire())
                  .tag("outcome", outcome.wire())
                  .register(registry));
        }
      }
    }
  }

  public void finished(String group, DrillKind kind, DrillState outcome) {
    counters.get(key(group, kind, outcome)).increment();
  }

  private static String key(String group, DrillKind kind, DrillState outcome) {
    return group + "\n" + kind.wire() + "\n" + outcome.wire();
  }
}
