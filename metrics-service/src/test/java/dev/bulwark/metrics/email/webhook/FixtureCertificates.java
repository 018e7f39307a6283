package dev.bulwark.metrics.email.webhook;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.FileNotFoundException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for AWS's certificate host in the application under test (no network here): serves
 * AWS's own signing certificate at the URL of the AWS-signed fixtures and the test key's
 * certificate at the URL of the hand-written ones, and remembers every URL it was asked for.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FixtureCertificates implements CertificateFetcher {

  /** Where AWS published the certificate that signed the {@code aws-sns-*.json} fixtures. */
  public static final String AWS_CERT_URL =
      "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem";

  private static final Map<String, byte[]> PEMS =
      Map.of(
          AWS_CERT_URL,
          Fixtures.bytes("aws-sns-signing-cert-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem"),
          SnsSigner.FIXTURE_CERT_URL,
          Fixtures.bytes("test-sns-signing-cert.pem"));

  private final List<URI> requested = new CopyOnWriteArrayList<>();

  @Override
  public CompletionStage<byte[]> fetch(URI signingCertUrl) {
    requested.add(signingCertUrl);
    byte[] pem = PEMS.get(signingCertUrl.toString());
    return pem == null
        ? CompletableFuture.failedFuture(new FileNotFoundException(signingCertUrl.toString()))
        : CompletableFuture.completedFuture(pem);
  }

  /** Every URL asked for so far, in order. */
  public List<URI> requested() {
    return List.copyOf(requested);
  }
}
