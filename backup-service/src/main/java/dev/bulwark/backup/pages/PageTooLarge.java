package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.ProblemException;

/** 413: a page over {@code bulwark.backup.pages.max-page-size}, as sent or once decoded. */
public class PageTooLarge extends ProblemException {

  public PageTooLarge(String what, long limit) {
    super(
        413,
        "page-too-large",
        "Page too large",
        what + " is larger than " + limit + " bytes, the archive's limit for one page");
  }
}
