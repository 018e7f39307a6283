package dev.bulwark.backup.pitr;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** 400: a name that is no WAL file the archive holds (segment, history or partial segment). */
public class InvalidWalFileName extends InvalidRequestProblem {

  public InvalidWalFileName(String name) {
    super(
        "walFileName",
        "'"
            + name
            + "' is not a WAL file name: use a 24-hex segment name (000000010000000000000003), a"
            + " timeline history file (00000002.history) or a partial segment"
            + " (000000010000000000000003.partial)");
  }
}
