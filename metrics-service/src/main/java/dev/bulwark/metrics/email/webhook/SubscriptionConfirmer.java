package dev.bulwark.metrics.email.webhook;

import dev.bulwark.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Handles SNS subscription confirmations: logs the confirmation URL for an operator, or visits it
 * when configured to and its host is one SNS uses (never an arbitrary URL from a request body).
 */
@ApplicationScoped
public class SubscriptionConfirmer {

  private static final Logger LOG = Logger.getLogger(SubscriptionConfirmer.class);

  private final boolean autoConfirm;
  private final Pattern allowedHosts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public SubscriptionConfirmer(MetricsConfig config) {
    this.autoConfirm = config.webhooks().snsAutoConfirm();
    this.allowedHosts = Pattern.compile(config.webhooks().snsConfirmHostPattern());
  }

  /** Completes with whether the subscription was confirmed here. */
  public CompletionStage<Boolean> handle(SnsMessage confirmation) {
    URI url = URI.create(confirmation.subscribeUrl());
    if (!autoConfirm) {
      // The URL's Token confirms the subscription to whoever holds it: it never reaches the log.
      LOG.infof(
          "SNS subscription to %s awaits confirmation (%s): set"
              + " bulwark.metrics.webhooks.sns.auto-confirm=true and have SNS resend it",
          confirmation.topicArn(), withoutQuery(url));
      return CompletableFuture.completedFuture(false);
    }
    if (url.getHost() == null || !allowedHosts.matcher(url.getHost()).matches()) {
      LOG.warnf(
          "SNS subscription to %s not confirmed: host of %s does not match %s",
          confirmation.topicArn(), withoutQuery(url), allowedHosts.pattern());
      return CompletableFuture.completedFuture(false);
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(
            response -> {
              boolean confirmed = response.statusCode() / 100 == 2;
              if (confirmed) {
                LOG.infof("confirmed SNS subscription to %s", confirmation.topicArn());
              } else {
                LOG.warnf(
                    "SNS subscription to %s not confirmed: %s answered %d",
                    confirmation.topicArn(), url.getHost(), response.statusCode());
              }
              return confirmed;
            })
        .exceptionally(
            failure -> {
              LOG.warnf(
                  "SNS subscription to %s not confirmed: %s: %s",
                  confirmation.topicArn(), url.getHost(), failure.getClass().getSimpleName());
              return false;
            });
  }

  private static String withoutQuery(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
  }
}
