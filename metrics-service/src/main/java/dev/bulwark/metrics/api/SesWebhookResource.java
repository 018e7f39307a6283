package dev.bulwark.metrics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.metrics.config.MetricsConfig;
import dev.bulwark.metrics.email.EmailEvents;
import dev.bulwark.metrics.email.webhook.ParsedEvents;
import dev.bulwark.metrics.email.webhook.SesNotifications;
import dev.bulwark.metrics.email.webhook.SnsMessage;
import dev.bulwark.metrics.email.webhook.SnsVerification;
import dev.bulwark.metrics.email.webhook.SubscriptionConfirmer;
import dev.bulwark.metrics.email.webhook.UnauthorizedWebhook;
import dev.bulwark.metrics.email.webhook.WebhookBodyLimit;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Amazon SES notifications as SNS delivers them over HTTP(S), body unchanged. SNS authenticates
 * with the Basic credentials of the subscription URL (https://user:pass@host/...), which it sends
 * after a 401 challenge; the suite's own bearer token works too. Each message must also pass {@link
 * SnsVerification} (topic, SNS signature, age) before anything in it counts.
 */
@Path("/api/v1/webhooks/ses")
@Produces(MediaType.APPLICATION_JSON)
public class SesWebhookResource {

  private static final Logger LOG = Logger.getLogger(SesWebhookResource.class);
  private static final String CHALLENGE = "Basic realm=\"bulwark-metrics\"";

  /** What the webhook did with the message. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SnsOutcome(String type, EmailEvents.Outcome events, Boolean confirmed) {}

  private final EmailEvents events;
  private final WebhookCallers callers;
  private final WebhookBodyLimit bodyLimit;
  private final SnsVerification verification;
  private final SubscriptionConfirmer confirmer;
  private final Optional<String> username;
  private final Optional<String> password;

  public SesWebhookResource(
      EmailEvents events,
      WebhookCallers callers,
      WebhookBodyLimit bodyLimit,
      SnsVerification verification,
      SubscriptionConfirmer confirmer,
      MetricsConfig config) {
    this.events = events;
    this.callers = callers;
    this.bodyLimit = bodyLimit;
    this.verification = verification;
    this.confirmer = confirmer;
    this.username = config.webhooks().snsUsername();
    this.password = config.webhooks().snsPassword();
  }

  @POST
  @PermitAll
  @Consumes(MediaType.WILDCARD)
  public Uni<SnsOutcome> receive(
      byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    bodyLimit.require(body);
    Uni<Void> allowed;
    if (WebhookCallers.isBearer(authorization)) {
      allowed = callers.requirePipeline();
    } else if (username.isPresent()
        && password.isPresent()
        && WebhookCallers.basicMatches(authorization, username.get(), password.get())) {
      allowed = Uni.createFrom().voidItem();
    } else {
      throw new UnauthorizedWebhook(
          authorization == null
              ? "credentials are required: put them in the SNS subscription URL"
              : "the credentials do not match bulwark.metrics.webhooks.sns.username/password",
          CHALLENGE);
    }
    return allowed
        .flatMap(ok -> verification.verified(SnsMessage.parse(body)))
        .flatMap(this::dispatch);
  }

  private Uni<SnsOutcome> dispatch(SnsMessage message) {
    return switch (message.type()) {
      case NOTIFICATION -> {
        ParsedEvents parsed = SesNotifications.parse(message);
        yield events
            .recordDelivery("Message", parsed.events(), parsed.ignored())
            .map(outcome -> new SnsOutcome(message.type().wire(), outcome, null));
      }
      case SUBSCRIPTION_CONFIRMATION ->
          Uni.createFrom()
              .completionStage(() -> confirmer.handle(message))
              .map(confirmed -> new SnsOutcome(message.type().wire(), null, confirmed));
      case UNSUBSCRIBE_CONFIRMATION -> {
        LOG.infof("SNS topic %s unsubscribed this endpoint", message.topicArn());
        yield Uni.createFrom().item(new SnsOutcome(message.type().wire(), null, null));
      }
    };
  }
}
