package dev.bulwark.metrics.email;

import dev.bulwark.common.jobs.SingleReplicaJobs;
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

  private static final Logger LOG = Logger.getLogger(EventRetention.class);

  private final EmailStore store;
  private final SingleReplicaJobs jobs;
  private final MetricsConfig config;
  private final Clock clock;

  public EventRetention(
      EmailStore store, SingleReplicaJobs jobs, MetricsConfig config, Clock clock) {
    this.store = store;
    this.jobs = jobs;
    this.config = config;
    this.clock = clock;
  }

  @Scheduled(
      every = "${bulwark.metrics.prune-every:1h}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> prune() {
    Instant now = clock.instant();
    return jobs.runExclusively(
            "metrics-prune-events",
            () ->
                store
                    .prune(now.minus(config.eventRetention()), now.minus(config.rollupRetention()))
                    .invoke(n -> LOG.debugf("pruned %d email rows", n)))
        .onFailure()
        .invoke(f -> LOG.warnf("pruning email events failed, will retry: %s", f.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }
}
