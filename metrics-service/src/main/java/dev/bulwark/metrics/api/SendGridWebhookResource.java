package dev.bulwark.metrics.api;

import dev.bulwark.metrics.config.MetricsConfig;
import dev.bulwark.metrics.email.EmailEvents;
import dev.bulwark.metrics.email.webhook.SendGridDeliveries;
import dev.bulwark.metrics.email.webhook.SendGridSignature;
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

/**
 * SendGrid's Event Webhook, body unchanged. Authenticated by SendGrid's signature (the verification
 * key in configuration) or by the suite's own bearer token. A batch is bounded by its bytes ({@link
 * WebhookBodyLimit}), never by its number of events.
 */
@Path("/api/v1/webhooks/sendgrid")
@Produces(MediaType.APPLICATION_JSON)
public class SendGridWebhookResource {

  private final SendGridDeliveries deliveries;
  private final WebhookCallers callers;
  private final WebhookBodyLimit bodyLimit;
  private final SendGridSignature signature;

  public SendGridWebhookResource(
      SendGridDeliveries deliveries,
      WebhookCallers callers,
      WebhookBodyLimit bodyLimit,
      MetricsConfig config) {
    this.deliveries = deliveries;
    this.callers = callers;
    this.bodyLimit = bodyLimit;
    // A bad key stops the start with a message, rather than refusing every webhook later.
    this.signature =
        config.webhooks().sendgridVerificationKey().map(SendGridSignature::new).orElse(null);
  }

  @POST
  @PermitAll
  @Consumes(MediaType.WILDCARD)
  public Uni<EmailEvents.Outcome> receive(
      byte[] body,
      @HeaderParam(SendGridSignature.SIGNATURE_HEADER) String signed,
      @HeaderParam(SendGridSignature.TIMESTAMP_HEADER) String timestamp,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    // Before the signature: verifying a body hashes all of it.
    bodyLimit.require(body);
    Uni<Void> allowed;
    if (WebhookCallers.isBearer(authorization)) {
      allowed = callers.requirePipeline();
    } else if (signature == null) {
      throw new UnauthorizedWebhook(
          "no SendGrid verification key is configured here; send a bearer token or configure"
              + " bulwark.metrics.webhooks.sendgrid.verification-key");
    } else if (signature.verify(signed, timestamp, body)) {
      allowed = Uni.createFrom().voidItem();
    } else {
      throw new UnauthorizedWebhook(
          "the SendGrid signature is missing or does not verify against the configured key");
    }
    return allowed.flatMap(ok -> deliveries.receive(body));
  }
}
