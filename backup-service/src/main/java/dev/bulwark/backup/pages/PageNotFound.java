package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.NotFoundProblem;

/** 404: no archived page has this id, or none of the URL was fetched by the time asked. */
public class PageNotFound extends NotFoundProblem {

  public PageNotFound(String detail) {
    super("page-not-found", detail);
  }
}
