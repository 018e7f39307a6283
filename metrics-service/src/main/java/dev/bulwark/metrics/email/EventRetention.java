package dev.bulwark.metrics.email;

import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.metrics.config.MetricsConfig;
import dev.bulwark.metrics.store.EmailStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Deletes raw events past their deduplication window and rollups past theirs, once a cluster. */
@ApplicationScoped
public class EventRetention {

  /** The job's name, which is also its advisory lock's: renaming it lets two replicas prune. */
  static final String JOB = "metrics-prune-events";

  private static final Logger LOG = Logger.getLogger(EventRetention.class);

  private final EmailStore store;
  private final Jobs jobs;
  private final MetricsConfig config;
  private final Clock clock;

  public EventRetention(EmailStore store, Jobs jobs, MetricsConfig config, Clock clock) {
    this.store = store;
    this.jobs = jobs;
    this.config = config;
    this.clock = clock;
  }

  // Delayed so that a starting replica serves before it deletes anything.
  @Scheduled(
      identity = JOB,
      every = "${bulwark.metrics.prune-every}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> prune() {
    return jobs.onOneReplica(JOB, this::pruneNow);
  }

  private Uni<Long> pruneNow() {
    Instant now = clock.instant();
    return store
        .prune(now.minus(config.eventRetention()), now.minus(config.rollupRetention()))
        .invoke(n -> LOG.debugf("pruned %d email rows", n));
  }
}
