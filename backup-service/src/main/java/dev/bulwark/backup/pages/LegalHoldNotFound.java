package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.NotFoundProblem;

/** 404: the lead is not under legal hold. */
public class LegalHoldNotFound extends NotFoundProblem {

  public LegalHoldNotFound(String leadId) {
    super("legal-hold-not-found", "lead " + leadId + " is not under legal hold");
  }
}
