package dev.bulwark.backup.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.storage.StorageUnavailable;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.testing.InjectPostgres;
import dev.bulwark.testing.PostgresCluster;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The job runner against the service's real database (retry backoff 50 ms in tests). */
@QuarkusTest
class JobRunnerTests {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject JobRunner runner;
  @InjectPostgres PostgresCluster postgres;

  @Test
  void transientFailuresAreTriedAgainUntilTheWorkSucceeds() {
    AtomicInteger tries = new AtomicInteger();
    BackupJob job =
        start(
            "retry-" + UUID.randomUUID(),
            RetryPolicy.TRANSIENT_FAILURES,
            context -> {
              if (tries.incrementAndGet() < 3) {
                throw new StorageUnavailable("s3://bucket", "connection refused");
              }
              return new JobOutcome(Optional.of("b-1"), Map.of("copied", 7));
            });

    BackupJob ended = awaitEnd(job.id());

    assertThat(ended.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(tries).hasValue(3);
    assertThat(ended.attempt()).isEqualTo(3);
    assertThat(ended.backupId()).hasValue("b-1");
    assertThat(ended.result()).hasValueSatisfying(r -> assertThat(r).containsEntry("copied", 7));
    assertThat(ended.progress().get("lastError")).asString().contains("connection refused");
  }

  @Test
  void theLastTryFailsTheJobWithItsMessage() {
    AtomicInteger tries = new AtomicInteger();
    BackupJob job =
        start(
            "fail-" + UUID.randomUUID(),
            RetryPolicy.TRANSIENT_FAILURES,
            context -> {
              tries.incrementAndGet();
              throw new StorageUnavailable("s3://bucket", "try " + tries.get());
            });

    BackupJob ended = awaitEnd(job.id());

    assertThat(ended.state()).isEqualTo(JobState.FAILED);
    assertThat(tries).hasValue(3);
    assertThat(ended.error()).hasValueSatisfying(e -> assertThat(e).contains("try 3"));
    assertThat(ended.finishedAt()).isPresent();
  }

  @Test
  void requestErrorsAndUnsafeWorkAreNotTriedAgain() {
    AtomicInteger badRequest = new AtomicInteger();
    AtomicInteger unsafe = new AtomicInteger();
    BackupJob first =
        start(
            "bad-" + UUID.randomUUID(),
            RetryPolicy.TRANSIENT_FAILURES,
            context -> {
              badRequest.incrementAndGet();
              throw new InvalidRequestProblem("database", "is not a name");
            });
    BackupJob second =
        start(
            "unsafe-" + UUID.randomUUID(),
            RetryPolicy.NEVER,
            context -> {
              unsafe.incrementAndGet();
              throw new StorageUnavailable("s3://bucket", "gone");
            });

    assertThat(awaitEnd(first.id()).state()).isEqualTo(JobState.FAILED);
    assertThat(awaitEnd(second.id()).state()).isEqualTo(JobState.FAILED);
    assertThat(badRequest).hasValue(1);
    assertThat(unsafe).hasValue(1);
  }

  @Test
  void oneKeyRunsOneJobAtATime() throws Exception {
    String key = "exclusive-" + UUID.randomUUID();
    CountDownLatch release = new CountDownLatch(1);
    BackupJob holder =
        start(
            key,
            RetryPolicy.NEVER,
            context -> {
              release.await(30, TimeUnit.SECONDS);
              return new JobOutcome(Optional.empty(), Map.of());
            });

    assertThatThrownBy(() -> start(key, RetryPolicy.NEVER, context -> null))
        .isInstanceOf(JobAlreadyRunning.class)
        .hasMessageContaining(holder.id().toString());

    release.countDown();
    assertThat(awaitEnd(holder.id()).state()).isEqualTo(JobState.SUCCEEDED);
    BackupJob next =
        start(key, RetryPolicy.NEVER, context -> new JobOutcome(Optional.empty(), Map.of()));
    assertThat(awaitEnd(next.id()).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void aJobWhoseReplicaStoppedIsFailedAsAbandonedAndFreesItsKey() {
    String key = "abandoned-" + UUID.randomUUID();
    UUID orphan = UUID.randomUUID();
    // What a replica killed mid-job leaves: a running row whose heartbeat stopped an hour ago.
    postgres
        .primary()
        .execute(
            "INSERT INTO backup.job (id, kind, subject, exclusive_key, state, trigger, created_at,"
                + " heartbeat_at) VALUES ('"
                + orphan
                + "', 'backup', 'store', '"
                + key
                + "', 'running', 'api', now() - interval '1 hour', now() - interval '1 hour')");

    BackupJob next =
        start(key, RetryPolicy.NEVER, context -> new JobOutcome(Optional.empty(), Map.of()));

    assertThat(awaitEnd(next.id()).state()).isEqualTo(JobState.SUCCEEDED);
    BackupJob abandoned = runner.find(orphan).await().atMost(WAIT);
    assertThat(abandoned.state()).isEqualTo(JobState.FAILED);
    assertThat(abandoned.error()).hasValueSatisfying(e -> assertThat(e).contains("abandoned"));
  }

  private BackupJob start(String key, RetryPolicy retries, JobWork work) {
    return runner
        .start(
            new JobRunner.Request(
                JobKind.BACKUP, key, Optional.empty(), key, JobTrigger.API, retries, work))
        .await()
        .atMost(WAIT);
  }

  private BackupJob awaitEnd(UUID id) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> runner.find(id).await().atMost(WAIT), job -> job.state() != JobState.RUNNING);
  }
}
