package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The certificates SNS signs messages with, fetched through the {@link CertificateFetcher} from a
 * message's SigningCertURL only when it is https, on the default port, on a host matching {@code
 * bulwark.metrics.webhooks.sns.cert-host-pattern}, with a {@code .pem} path and no query; kept by
 * URL (SNS rotates them rarely). A refused URL or a certificate not valid at the service clock's
 * now is an {@link UnauthorizedWebhook}; a certificate that cannot be fetched now is a {@link
 * SigningCertificateUnavailable}, so that SNS delivers again later.
 */
@ApplicationScoped
public class SigningCertificates {

  /** More URLs than SNS uses at once; past this the cache starts over. */
  static final int MAX_CACHED = 32;

  private static final Logger LOG = Logger.getLogger(SigningCertificates.class);

  private final Pattern hosts;
  private final CertificateFetcher fetch;
  private final Clock clock;
  private final Map<String, X509Certificate> cache = new ConcurrentHashMap<>();

  @Inject
  public SigningCertificates(MetricsConfig config, CertificateFetcher fetch, Clock clock) {
    this(Pattern.compile(config.webhooks().snsCertHostPattern()), fetch, clock);
  }

  SigningCertificates(Pattern hosts, CertificateFetcher fetch, Clock clock) {
    this.hosts = hosts;
    this.fetch = fetch;
    this.clock = clock;
  }

  /**
   * Completes with the valid certificate at {@code signingCertUrl}, or fails with an {@link
   * UnauthorizedWebhook} or {@link SigningCertificateUnavailable}. A refused URL fails before any
   * request.
   */
  public CompletionStage<X509Certificate> certificate(String signingCertUrl) {
    URI url;
    try {
      url = allowed(signingCertUrl);
    } catch (UnauthorizedWebhook refused) {
      return CompletableFuture.failedFuture(refused);
    }
    X509Certificate cached = cache.get(signingCertUrl);
    if (cached != null) {
      return completed(signingCertUrl, cached);
    }
    CompletionStage<byte[]> fetched;
    try {
      fetched = fetch.fetch(url);
    } catch (RuntimeException e) {
      fetched = CompletableFuture.failedFuture(e);
    }
    return fetched
        .handle(
            (pem, failure) -> {
              if (failure != null) {
                LOG.warnf("cannot fetch SNS signing certificate %s: %s", url, unwrap(failure));
                throw unavailable(signingCertUrl, "it could not be fetched");
              }
              return parse(signingCertUrl, pem);
            })
        .thenCompose(
            certificate -> {
              if (cache.size() >= MAX_CACHED) {
                cache.clear();
              }
              cache.put(signingCertUrl, certificate);
              return completed(signingCertUrl, certificate);
            });
  }

  /** The URL if it may be fetched: https, on a host matching the pattern, a .pem path. */
  URI allowed(String signingCertUrl) {
    URI url;
    try {
      url = new URI(signingCertUrl);
    } catch (Exception e) {
      throw refused(signingCertUrl, "is not a URL");
    }
    if (!"https".equalsIgnoreCase(url.getScheme())) {
      throw refused(signingCertUrl, "is not https");
    }
    if (url.getRawUserInfo() != null
        || (url.getPort() != -1 && url.getPort() != 443)
        || url.getHost() == null
        || !hosts.matcher(url.getHost()).matches()) {
      throw refused(
          signingCertUrl,
          "is not on a host matching bulwark.metrics.webhooks.sns.cert-host-pattern ("
              + hosts.pattern()
              + ")");
    }
    if (url.getRawPath() == null
        || !url.getRawPath().endsWith(".pem")
        || url.getRawQuery() != null
        || url.getRawFragment() != null) {
      throw refused(signingCertUrl, "is not a .pem file (SNS serves its certificates as .pem)");
    }
    return url;
  }

  private CompletionStage<X509Certificate> completed(String url, X509Certificate certificate) {
    try {
      certificate.checkValidity(Date.from(clock.instant()));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      cache.remove(url, certificate);
      return CompletableFuture.failedFuture(
          new UnauthorizedWebhook(
              "the SNS signing certificate at "
                  + url
                  + " is not valid now (valid "
                  + certificate.getNotBefore().toInstant()
                  + " to "
                  + certificate.getNotAfter().toInstant()
                  + ")"));
    }
    return CompletableFuture.completedFuture(certificate);
  }

  private static X509Certificate parse(String url, byte[] pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pem));
    } catch (CertificateException | ClassCastException e) {
      throw unavailable(url, "it is not an X.509 certificate");
    }
  }

  private static UnauthorizedWebhook refused(String url, String why) {
    return new UnauthorizedWebhook(
        "the SNS SigningCertURL " + url + " " + why + "; it was not fetched");
  }

  private static SigningCertificateUnavailable unavailable(String url, String why) {
    return new SigningCertificateUnavailable(url, why);
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
