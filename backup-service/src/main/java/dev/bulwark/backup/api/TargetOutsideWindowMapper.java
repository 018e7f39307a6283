package dev.bulwark.backup.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.backup.pitr.restore.TargetOutsideWindow;
import dev.bulwark.common.logging.RequestIds;
import dev.bulwark.common.problem.Problem;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A restore point outside the window: 422 problem+json that carries the window to pick from. */
public class TargetOutsideWindowMapper {

  /** The problem document with the window: {@code "window": {"from": ..., "to": ...}}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record WindowProblem(
      URI type, String title, int status, String detail, String requestId, Window window) {}

  /** The times a restore can reach. */
  public record Window(Instant from, Instant to) {}

  @ServerExceptionMapper
  public Response outsideWindow(TargetOutsideWindow e) {
    return Response.status(e.status())
        .type(Problem.MEDIA_TYPE)
        .entity(
            new WindowProblem(
                Problem.type(e.slug()),
                e.title(),
                e.status(),
                e.getMessage(),
                RequestIds.current(),
                new Window(e.window().from(), e.window().to())))
        .build();
  }
}
