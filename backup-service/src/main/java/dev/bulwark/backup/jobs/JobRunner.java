package dev.bulwark.backup.jobs;

import dev.bulwark.backup.config.JobRunnerConfig;
import dev.bulwark.backup.store.JobStore;
import dev.bulwark.common.jobs.Jobs;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs background jobs on a bounded pool of this replica's workers and records each in the
 * database, so that any replica answers for it. At most one running job holds an exclusive key (two
 * backups of one target never interleave); failures are tried again with backoff as the job's
 * {@link RetryPolicy} says; a job whose replica stops is failed as abandoned once its heartbeat is
 * older than {@code bulwark.backup.jobs.abandoned-after}.
 */
@ApplicationScoped
public class JobRunner {

  private static final Logger LOG = Logger.getLogger(JobRunner.class);
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
  private static final long PROGRESS_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

  private final JobStore store;
  private final Jobs jobs;
  private final JobRunnerConfig config;
  private final Clock clock;
  private final Event<JobEnded> endings;
  private final ExecutorService workers;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();

  public JobRunner(
      JobStore store, Jobs jobs, JobRunnerConfig config, Clock clock, Event<JobEnded> endings) {
    this.store = store;
    this.jobs = jobs;
    this.config = config;
    this.clock = clock;
    this.endings = endings;
    if (config.workers() < 1 || config.attempts() < 1) {
      throw new IllegalArgumentException(
          "bulwark.backup.jobs.workers and bulwark.backup.jobs.attempts must be at least 1");
    }
    AtomicInteger threads = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            config.workers(),
            work -> {
              Thread thread = new Thread(work, "backup-job-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** What to start: the work and what it is about. */
  public record Request(
      JobKind kind,
      String subject,
      Optional<String> backupId,
      String exclusiveKey,
      JobTrigger trigger,
      RetryPolicy retries,
      JobWork work) {}

  /**
   * Records the job and starts it on a worker; the answer is the job as recorded (running).
   *
   * @throws JobAlreadyRunning when a running job holds the same exclusive key
   */
  public Uni<BackupJob> start(Request request) {
    return start(request, UUID.randomUUID());
  }

  /**
   * Starts a job under a chosen id: a scheduler derives it from the schedule's fire time, so that
   * replicas firing together start one job.
   */
  public Uni<BackupJob> start(Request request, UUID id) {
    Instant now = clock.instant();
    return store
        .insert(
            id,
            request.kind(),
            request.subject(),
            request.backupId(),
            request.exclusiveKey(),
            request.trigger(),
            now,
            now.minus(config.abandonedAfter()))
        .chain(
            inserted -> {
              if (inserted.isPresent()) {
                BackupJob job = inserted.get();
                running.add(job.id());
                workers.execute(() -> execute(job, request));
                return Uni.createFrom().item(job);
              }
              return store
                  .runningWithKey(request.exclusiveKey())
                  .chain(
                      holder -> {
                        if (holder.isPresent()) {
                          return Uni.createFrom()
                              .failure(
                                  new JobAlreadyRunning(
                                      request.kind(), request.subject(), holder.get().id()));
                        }
                        // The id was taken (a replica fired the same schedule), or the holder
                        // finished in between: then start again.
                        return store
                            .find(id)
                            .chain(
                                taken ->
                                    taken.isPresent()
                                        ? Uni.createFrom()
                                            .failure(
                                                new JobAlreadyRunning(
                                                    request.kind(), request.subject(), id))
                                        : start(request, id));
                      });
            });
  }

  /**
   * Starts the {@code kind} job of {@code subject} once {@code check} passes: one such job at a
   * time (exclusive key {@code <kind>:<subject>}), transient failures tried again. The check runs
   * before any job exists, so that a request that cannot work is answered with its problem at once.
   *
   * @throws JobAlreadyRunning when a job of that kind and subject is running
   */
  public Uni<BackupJob> startChecked(
      JobKind kind, String subject, JobTrigger trigger, UUID id, Runnable check, JobWork work) {
    return Uni.createFrom()
        .item(
            () -> {
              check.run();
              return new Request(
                  kind,
                  subject,
                  Optional.empty(),
                  kind.wire() + ":" + subject,
                  trigger,
                  RetryPolicy.TRANSIENT_FAILURES,
                  work);
            })
        .chain(request -> start(request, id));
  }

  /** The job with that id. */
  public Uni<BackupJob> find(UUID id) {
    return store.find(id).map(job -> job.orElseThrow(() -> new JobNotFound(id)));
  }

  /** Jobs newest first, filtered, paged by the id of the last job of the previous page. */
  public Uni<List<BackupJob>> list(
      Optional<JobKind> kind, Optional<String> subject, Optional<UUID> before, int limit) {
    return store.list(kind, subject, before, limit);
  }

  /** Whether a {@code kind} job was ever started for backup {@code backupId} of {@code subject}. */
  public Uni<Boolean> startedFor(JobKind kind, String subject, String backupId) {
    return store.existsFor(kind, subject, backupId);
  }

  /** Renews the jobs this replica runs and fails those that other replicas abandoned. */
  @Scheduled(
      every = "${bulwark.backup.jobs.heartbeat:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> heartbeat() {
    return jobs.onEveryReplica(
        "backup-job-heartbeat",
        () -> {
          Instant now = clock.instant();
          Uni<Void> renew =
              running.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : store.heartbeat(List.copyOf(running), now);
          return renew.chain(() -> store.failAbandoned(now.minus(config.abandonedAfter()), now));
        });
  }

  @PreDestroy
  void stop() {
    // Interrupts waits and retries; a job cut short is failed as abandoned by another replica.
    workers.shutdownNow();
  }

  private void execute(BackupJob job, Request request) {
    Context context = new Context(job.id());
    Optional<JobState> recorded = Optional.empty();
    try {
      JobOutcome outcome = runWithRetries(request, context);
      context.flush();
      await(
          store.finish(
              job.id(),
              JobState.SUCCEEDED,
              outcome.backupId(),
              Optional.of(outcome.result()),
              Optional.empty(),
              clock.instant()));
      recorded = Optional.of(JobState.SUCCEEDED);
      LOG.infof("%s job %s of %s succeeded", job.kind().wire(), job.id(), job.subject());
    } catch (Throwable failure) {
      String error = describe(failure);
      LOG.warnf("%s job %s of %s failed: %s", job.kind().wire(), job.id(), job.subject(), error);
      try {
        context.flush();
        await(
            store.finish(
                job.id(),
                JobState.FAILED,
                Optional.empty(),
                Optional.empty(),
                Optional.of(error),
                clock.instant()));
        recorded = Optional.of(JobState.FAILED);
      } catch (RuntimeException e) {
        LOG.warnf(
            "cannot record the end of job %s (%s); another replica fails it as abandoned",
            job.id(), describe(e));
      }
    } finally {
      running.remove(job.id());
    }
    // Only once the end is recorded: before, the job still holds its key in the database.
    recorded.ifPresent(state -> announceEnd(job, state));
  }

  // What observers start is their own affair: their failure is logged, never the job's.
  private void announceEnd(BackupJob job, JobState state) {
    try {
      endings.fire(new JobEnded(job.id(), job.kind(), job.subject(), state));
    } catch (RuntimeException e) {
      LOG.warnf(
          "after %s job %s of %s ended: %s",
          job.kind().wire(), job.id(), job.subject(), describe(e));
    }
  }

  private JobOutcome runWithRetries(Request request, Context context) throws Exception {
    Duration backoff = config.retryBackoff();
    for (int attempt = 1; ; attempt++) {
      context.attempt = attempt;
      try {
        return request.work().run(context);
      } catch (Exception failure) {
        if (attempt >= config.attempts() || !request.retries().retries(failure)) {
          throw failure;
        }
        context.lastError = describe(failure);
        LOG.infof(
            "%s of %s: try %d failed (%s); trying again in %s",
            request.kind().wire(), request.subject(), attempt, context.lastError, backoff);
        context.progress(Map.of());
        Thread.sleep(backoff.toMillis());
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(STORE_TIMEOUT);
  }

  /** A job's reports, written to the database at most once a second. */
  private final class Context implements JobContext {
    private final UUID id;
    private volatile int attempt = 1;
    private volatile String lastError;
    private Map<String, Object> latest = Map.of();
    private long writtenAt = System.nanoTime() - PROGRESS_INTERVAL_NANOS;
    private boolean unwritten;

    Context(UUID id) {
      this.id = id;
    }

    @Override
    public synchronized void progress(Map<String, Object> progress) {
      latest = progress;
      unwritten = true;
      if (System.nanoTime() - writtenAt >= PROGRESS_INTERVAL_NANOS) {
        write();
      }
    }

    synchronized void flush() {
      if (unwritten) {
        write();
      }
    }

    private void write() {
      Map<String, Object> row = new LinkedHashMap<>(latest);
      if (lastError != null) {
        row.put("lastError", lastError);
      }
      try {
        await(store.progress(id, attempt, row, clock.instant()));
        unwritten = false;
      } catch (RuntimeException e) {
        // Progress is advisory: the work goes on; the heartbeat job reports the database.
        LOG.debugf("progress of job %s not written: %s", id, describe(e));
      }
      writtenAt = System.nanoTime();
    }
  }
}
