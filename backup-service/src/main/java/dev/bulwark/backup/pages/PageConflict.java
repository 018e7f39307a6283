package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.ConflictProblem;

/** 409: a page of the same URL and fetch time is archived with other content. */
public class PageConflict extends ConflictProblem {

  public PageConflict(String url, java.time.Instant fetchedAt) {
    super(
        "page-conflict",
        "a page of "
            + url
            + " fetched at "
            + fetchedAt
            + " is archived with other content; a fetch is archived once");
  }
}
