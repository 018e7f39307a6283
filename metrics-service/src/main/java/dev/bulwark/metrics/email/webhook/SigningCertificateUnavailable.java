package dev.bulwark.metrics.email.webhook;

import dev.bulwark.common.problem.UnavailableProblem;

/** 503: the SNS signing certificate cannot be read now; SNS delivers the message again later. */
public class SigningCertificateUnavailable extends UnavailableProblem {

  public SigningCertificateUnavailable(String url, String why) {
    super(
        "sns-certificate-unavailable",
        "the SNS signing certificate at " + url + " cannot be read now: " + why + "; SNS retries");
  }
}
