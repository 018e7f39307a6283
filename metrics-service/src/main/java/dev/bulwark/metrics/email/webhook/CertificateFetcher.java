package dev.bulwark.metrics.email.webhook;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * Fetches the PEM behind an SNS SigningCertURL. {@link SigningCertificates} calls it only for URLs
 * it has allowed (https, an SNS host, a {@code .pem} path), so an implementation never sees a URL
 * taken unchecked from a request body.
 */
public interface CertificateFetcher {

  /** Completes with the PEM's bytes, or fails when it cannot be fetched now. */
  CompletionStage<byte[]> fetch(URI signingCertUrl);
}
