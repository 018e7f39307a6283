package dev.bulwark.metrics.api;

import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.security.Roles;
import dev.bulwark.metrics.email.BounceType;
import dev.bulwark.metrics.email.EmailEvent;
import dev.bulwark.metrics.email.EmailEventType;
import dev.bulwark.metrics.email.EmailEvents;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Email events in the suite's own format, sent by the pipeline's mailer. */
@Path("/api/v1/email-events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EmailEventResource {

  /** Events without a provider are the suite's own. */
  static final String OWN_PROVIDER = "bulwark";

  private final EmailEvents events;

  public EmailEventResource(EmailEvents events) {
    this.events = events;
  }

  @POST
  @RolesAllowed(Roles.PIPELINE)
  public Uni<EmailEventBatchView> record(@NotNull @Valid EmailEventBatch batch) {
    List<EmailEvent> parsed = new ArrayList<>(batch.events().size());
    for (int i = 0; i < batch.events().size(); i++) {
      parsed.add(toEvent(i, batch.events().get(i)));
    }
    return events.record("events", parsed, 0).map(EmailEventBatchView::of);
  }

  private static EmailEvent toEvent(int index, EmailEventRequest e) {
    EmailEventType type = EmailEventType.valueOf(e.event().toUpperCase(Locale.ROOT));
    BounceType bounce =
        e.bounceType() == null ? null : BounceType.valueOf(e.bounceType().toUpperCase(Locale.ROOT));
    if (type == EmailEventType.BOUNCED && bounce == null) {
      throw new InvalidRequestProblem(
          "events[" + index + "].bounceType", "is required for a bounce: hard or soft");
    }
    if (type != EmailEventType.BOUNCED && bounce != null) {
      throw new InvalidRequestProblem(
          "events[" + index + "].bounceType", "is only allowed when the event is bounced");
    }
    return new EmailEvent(
        e.provider() == null ? OWN_PROVIDER : e.provider(),
        e.providerEventId(),
        e.messageId(),
        type,
        bounce,
        e.campaign() == null || e.campaign().isBlank() ? EmailEvent.NO_CAMPAIGN : e.campaign(),
        e.occurredAt());
  }
}
