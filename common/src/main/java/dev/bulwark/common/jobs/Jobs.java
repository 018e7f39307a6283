package dev.bulwark.common.jobs;

import dev.bulwark.common.logging.OutageLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one way to run scheduled work. A {@code @Scheduled} method returns {@code
 * jobs.onOneReplica(name, work)} (once per cluster, under an advisory lock) or {@code
 * jobs.onEveryReplica(name, work)}; the returned {@code Uni} never fails. A failing job is logged
 * once when it starts failing and once when it recovers ({@link OutageLog}), never once per tick,
 * and every run is counted in {@code bulwark_job_runs_total{job,outcome}} beside {@code
 * bulwark_job_last_success_timestamp_seconds{job}}. A run that outlasts {@code
 * bulwark.jobs.timeout} fails, so that a hung dependency cannot stop a job for good.
 */
@ApplicationScoped
public class Jobs {

  private final SingleReplicaJobs locks;
  private final OutageLog outages;
  private final MeterRegistry registry;
  private final JobsConfig config;
  private final Clock clock;
  private final Map<String, AtomicReference<Double>> lastSuccess = new ConcurrentHashMap<>();

  public Jobs(
      SingleReplicaJobs locks,
      OutageLog outages,
      MeterRegistry registry,
      JobsConfig config,
      Clock clock) {
    this.locks = locks;
    this.outages = outages;
    this.registry = registry;
    this.config = config;
    this.clock = clock;
  }

  /** Runs {@code work} on this replica. */
  public Uni<Void> onEveryReplica(String job, Supplier<Uni<?>> work) {
    return watch(job, Uni.createFrom().deferred(work).replaceWith(Outcome.SUCCEEDED));
  }

  /** Runs {@code work} only if no other replica is running the job of that name. */
  public Uni<Void> onOneReplica(String job, Supplier<Uni<?>> work) {
    return watch(
        job, locks.runExclusively(job, work).map(ran -> ran ? Outcome.SUCCEEDED : Outcome.SKIPPED));
  }

  private enum Outcome {
    SUCCEEDED,
    SKIPPED,
    FAILED
  }

  private Uni<Void> watch(String job, Uni<Outcome> run) {
    return run.ifNoItem()
        .after(config.timeout())
        .failWith(() -> new JobTimedOut(job, config.timeout()))
        .invoke(
            outcome -> {
              if (outcome == Outcome.SUCCEEDED) {
                lastSuccess(job).set(clock.instant().toEpochMilli() / 1000.0);
              }
              // A skip means another replica holds the lock, which needs the database: recovered.
              outages.succeeded(job);
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              outages.failed(job, failure);
              return Outcome.FAILED;
            })
        .invoke(outcome -> runs(job, outcome).increment())
        .replaceWithVoid();
  }

  private Counter runs(String job, Outcome outcome) {
    return Counter.builder("bulwark.job.runs")
        .description("Runs of scheduled jobs by outcome (skipped: another replica ran it)")
        .tag("job", job)
        .tag("outcome", outcome.name().toLowerCase())
        .register(registry);
  }

  private AtomicReference<Double> lastSuccess(String job) {
    return lastSuccess.computeIfAbsent(
        job,
        name -> {
          AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
          Gauge.builder("bulwark.job.last.success.timestamp.seconds", holder, AtomicReference::get)
              .description("When the job last ran to completion, Unix time")
              .tag("job", name)
              .strongReference(true)
              .register(registry);
          return holder;
        });
  }

  /** A run that outlasted its timeout. */
  static final class JobTimedOut extends RuntimeException {
    JobTimedOut(String job, java.time.Duration timeout) {
      super(job + " did not finish within " + timeout, null, false, false);
    }
  }
}
