package dev.bulwark.backup.jobs;

/** The blocking body of a job, run on one of the runner's workers. */
@FunctionalInterface
public interface JobWork {

  /**
   * Does the work, reporting progress through {@code context}.
   *
   * @return what the job produced; thrown failures fail the job with their message
   */
  JobOutcome run(JobContext context) throws Exception;
}
