package dev.bulwark.backup.mirror;

import dev.bulwark.common.problem.NotFoundProblem;
import java.util.Set;

/** 404: no mirror has the name asked for. */
public class MirrorNotFound extends NotFoundProblem {

  public MirrorNotFound(String name, Set<String> known) {
    super(
        "mirror-not-found",
        "no mirror is called '" + name + "'; the configured mirrors are " + known);
  }
}
