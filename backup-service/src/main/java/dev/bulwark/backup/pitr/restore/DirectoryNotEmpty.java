package dev.bulwark.backup.pitr.restore;

import dev.bulwark.common.problem.ConflictProblem;

/** 409: a restore never writes into a directory that holds something. */
public class DirectoryNotEmpty extends ConflictProblem {

  public DirectoryNotEmpty(String directory) {
    super(
        "pitr-directory-not-empty",
        "directory "
            + directory
            + " exists and is not empty; name a new or empty directory for the restored data");
  }
}
