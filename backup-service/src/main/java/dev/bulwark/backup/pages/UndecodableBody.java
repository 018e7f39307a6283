package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.InvalidRequestProblem;

/** 400: the body does not decode as its {@code Content-Encoding} says. */
public class UndecodableBody extends InvalidRequestProblem {

  public UndecodableBody(String detail) {
    super("Content-Encoding", detail);
  }
}
