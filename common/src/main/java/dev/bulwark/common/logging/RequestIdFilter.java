package dev.bulwark.common.logging;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Gives every request an id (the caller's {@code X-Request-Id} or a new one) and echoes it. */
public class RequestIdFilter {

  @ServerRequestFilter(preMatching = true)
  public void assignRequestId(ContainerRequestContext request) {
    String id = RequestIds.accept(request.getHeaderString(RequestIds.HEADER));
    request.setProperty(RequestIds.MDC_KEY, id);
    MDC.put(RequestIds.MDC_KEY, id);
  }

  @ServerResponseFilter
  public void echoRequestId(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(RequestIds.MDC_KEY);
    if (id != null) {
      response.getHeaders().putSingle(RequestIds.HEADER, id);
    }
    MDC.remove(RequestIds.MDC_KEY);
  }
}
