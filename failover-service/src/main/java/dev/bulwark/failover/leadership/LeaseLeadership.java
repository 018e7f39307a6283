package dev.bulwark.failover.leadership;

import dev.bulwark.common.logging.OutageLog;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Leadership by one Lease per group ({@code bulwark-failover-<group>}), renewed on a schedule. */
public final class LeaseLeadership implements Leadership {

  private final Map<String, LeaseElector> electors = new TreeMap<>();
  private final ScheduledExecutorService scheduler;
  private final OutageLog outages;

  public LeaseLeadership(
      Map<String, LeaseElector> electors, Duration retryPeriod, OutageLog outages) {
    this.electors.putAll(electors);
    this.outages = outages;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "bulwark-failover-lease");
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleAtFixedRate(this::renewAll, 0, retryPeriod.toNanos(), TimeUnit.NANOSECONDS);
  }

  public static String leaseName(String group) {
    return "bulwark-failover-" + group;
  }

  @Override
  public boolean leads(String group) {
    LeaseElector elector = electors.get(group);
    return elector != null && elector.leads();
  }

  private void renewAll() {
    electors.values().forEach(this::renew);
  }

  private void renew(LeaseElector elector) {
    String source = "failover lease " + elector.name();
    try {
      elector.tryAcquireOrRenew();
      outages.succeeded(source);
    } catch (RuntimeException e) {
      // One line per outage of the API server, not one per round.
      outages.failed(source, e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    electors.values().forEach(LeaseElector::release);
  }
}
