package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.jobs.JobAlreadyRunning;
import dev.bulwark.backup.jobs.JobTrigger;
import dev.bulwark.backup.pitr.wal.BaseBackupRequester;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Closes a gap in a target's WAL chain the only way it can be closed: a base backup started at once
 * (a job like any other, {@code trigger: wal_gap}); restores to points after the gap start from it.
 */
@ApplicationScoped
public class GapBaseBackups implements BaseBackupRequester {

  private static final Logger LOG = Logger.getLogger(GapBaseBackups.class);

  private final BaseBackupJobs backups;

  public GapBaseBackups(BaseBackupJobs backups) {
    this.backups = backups;
  }

  @Override
  public void requestBaseBackup(String target, String reason) {
    backups
        .start(target, JobTrigger.WAL_GAP)
        .subscribe()
        .with(
            job ->
                LOG.warnf(
                    "base backup job %s of %s started to close a WAL gap (%s)",
                    job.id(), target, reason),
            failure -> {
              if (!(failure instanceof JobAlreadyRunning)) {
                LOG.errorf(
                    "target %s needs a new base backup (%s) but none could start: %s",
                    target, reason, failure.getMessage());
              }
            });
  }
}
