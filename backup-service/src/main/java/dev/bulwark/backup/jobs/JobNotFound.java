package dev.bulwark.backup.jobs;

import dev.bulwark.common.problem.NotFoundProblem;
import java.util.UUID;

/** 404: no job has the id asked for. */
public class JobNotFound extends NotFoundProblem {

  public JobNotFound(UUID id) {
    super("job-not-found", "no job has the id " + id);
  }
}
