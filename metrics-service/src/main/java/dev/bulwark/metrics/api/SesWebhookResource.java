package dev.bulwark.metrics.api;

import dev.bulwark.metrics.config.MetricsConfig;
import dev.bulwark.metrics.email.webhook.SnsDeliveries;
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

/**
 * Amazon SES notifications as SNS delivers them over HTTP(S), body unchanged. SNS authenticates
 * with the Basic credentials of the subscription URL (https://user:pass@host/...), which it sends
 * after a 401 challenge; the suite's own bearer token works too. {@link SnsDeliveries} then checks
 * the message itself (topic, SNS signature, age) before anything in it counts.
 */
@Path("/api/v1/webhooks/ses")
@Produces(MediaType.APPLICATION_JSON)
public class SesWebhookResource {

  private static final String CHALLENGE = "Basic realm=\"bulwark-metrics\"";

  private final SnsDeliveries deliveries;
  private final WebhookCallers callers;
  private final WebhookBodyLimit bodyLimit;
  private final Optional<String> username;
  private final Optional<String> password;

  public SesWebhookResource(
      SnsDeliveries deliveries,
      WebhookCallers callers,
      WebhookBodyLimit bodyLimit,
      MetricsConfig config) {
    this.deliveries = deliveries;
    this.callers = callers;
    this.bodyLimit = bodyLimit;
    this.username = config.webhooks().snsUsername();
    this.password = config.webhooks().snsPassword();
  }

  @POST
  @PermitAll
  @Consumes(MediaType.WILDCARD)
  public Uni<SnsDeliveryView> receive(
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
    return allowed.flatMap(ok -> deliveries.receive(body)).map(SnsDeliveryView::of);
  }
}
