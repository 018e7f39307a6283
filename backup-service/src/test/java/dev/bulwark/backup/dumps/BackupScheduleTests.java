package dev.bulwark.backup.dumps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.backup.jobs.BackupJob;
import dev.bulwark.backup.jobs.JobKind;
import dev.bulwark.backup.jobs.JobRunner;
import dev.bulwark.backup.jobs.JobState;
import dev.bulwark.backup.jobs.JobTrigger;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The nightly schedule: every target once per fire time, however many replicas fire it. */
@QuarkusTest
class BackupScheduleTests {

  @Inject BackupSchedule schedule;
  @Inject JobRunner runner;

  @Test
  void replicasFiringTheSameScheduleStartOneBackupPerTarget() {
    Instant fireTime = Instant.parse("2031-05-04T02:00:00Z");

    schedule.backUpAll(execution(fireTime)).await().atMost(Duration.ofSeconds(30));
    // A second replica, late by a moment, fires the same schedule.
    schedule.backUpAll(execution(fireTime)).await().atMost(Duration.ofSeconds(30));

    BackupJob job =
        runner
            .find(BackupSchedule.jobId("store", fireTime.toString()))
            .await()
            .atMost(Duration.ofSeconds(30));
    assertThat(job.trigger()).isEqualTo(JobTrigger.SCHEDULE);
    BackupJob ended =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> runner.find(job.id()).await().atMost(Duration.ofSeconds(30)),
                j -> j.state() != JobState.RUNNING);
    assertThat(ended.state()).isEqualTo(JobState.SUCCEEDED);
    List<BackupJob> scheduled =
        runner
            .list(Optional.of(JobKind.BACKUP), Optional.of("store"), Optional.empty(), 500)
            .await()
            .atMost(Duration.ofSeconds(30))
            .stream()
            .filter(j -> j.trigger() == JobTrigger.SCHEDULE)
            .toList();
    assertThat(scheduled).extracting(BackupJob::id).containsExactly(job.id());
  }

  private static ScheduledExecution execution(Instant fireTime) {
    return new ScheduledExecution() {
      @Override
      public Trigger getTrigger() {
        return null;
      }

      @Override
      public Instant getFireTime() {
        return fireTime.plusMillis(3);
      }

      @Override
      public Instant getScheduledFireTime() {
        return fireTime;
      }
    };
  }
}
