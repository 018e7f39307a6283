package dev.bulwark.backup.dumps;

import dev.bulwark.common.problem.NotFoundProblem;
import java.util.Set;

/** 404: no backup target has the name asked for. */
public class TargetNotFound extends NotFoundProblem {

  public TargetNotFound(String name, Set<String> known) {
    super(
        "backup-target-not-found",
        "no backup target is called '" + name + "'; the configured targets are " + known);
  }
}
