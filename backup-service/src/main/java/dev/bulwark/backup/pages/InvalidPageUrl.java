package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** 400: the page's URL is not an absolute http(s) URL with a host. */
public class InvalidPageUrl extends InvalidRequestProblem {

  public InvalidPageUrl(String url, String why) {
    super(
        "url",
        "'" + url + "' " + why + "; send an absolute http(s) URL such as https://example.com/");
  }
}
