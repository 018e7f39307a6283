package dev.bulwark.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.bulwark.common.health.DatabaseReadiness;
import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.common.logging.RequestIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 problem+json. Domain code throws {@link
 * ProblemException}s; everything else is mapped here by kind, and nothing internal (stack traces,
 * SQL, class names) reaches the caller.
 */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  private final OutageLog outages;

  public ProblemMappers(OutageLog outages) {
    this.outages = outages;
  }

  @ServerExceptionMapper
  public Response problem(ProblemException e) {
    Response response = respond(e.status(), e.slug(), e.title(), e.getMessage(), e.errors());
    if (e.headers().isEmpty()) {
      return response;
    }
    Response.ResponseBuilder builder = Response.fromResponse(response);
    e.headers().forEach(builder::header);
    return builder.build();
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e) {
    boolean returnValue =
        e.getConstraintViolations().stream().anyMatch(ProblemMappers::isReturnValueViolation);
    if (returnValue) {
      // Our own response failed validation: a bug, not the caller's fault.
      return unexpected(e);
    }
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    String detail =
        errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
    return respond(400, "validation-failed", "Request validation failed", detail, errors);
  }

  @ServerExceptionMapper
  public Response validation(ValidationException e) {
    return unexpected(e);
  }

  @ServerExceptionMapper
  public Response unreadableJson(JsonProcessingException e) {
    String detail;
    List<Problem.FieldError> errors = List.of();
    if (e instanceof UnrecognizedPropertyException unknown) {
      detail = "unknown field '" + unknown.getPropertyName() + "'";
      errors = List.of(new Problem.FieldError(path(unknown), "is not a known field"));
    } else if (e instanceof InvalidFormatException invalid) {
      String field = path(invalid);
      String expected =
          invalid.getTargetType() == null ? "another type" : describe(invalid.getTargetType());
      detail = field + ": '" + invalid.getValue() + "' is not a valid " + expected;
      errors = List.of(new Problem.FieldError(field, "must be a valid " + expected));
    } else if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = path(mapping);
      detail = field + ": has the wrong type or shape";
      errors = List.of(new Problem.FieldError(field, "has the wrong type or shape"));
    } else {
      detail =
          "the body is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")");
    }
    return respond(400, "malformed-json", "Malformed JSON", detail, errors);
  }

  /** More specific than Quarkus's own mapper for this type, which answers in plain JSON. */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e) {
    return unreadableJson(e);
  }

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e) {
    return unauthenticated();
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e) {
    return unauthenticated();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return respond(
        403,
        "forbidden",
        "Forbidden",
        "the token is valid but lacks a role this operation needs",
        List.of());
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      return unexpected(e);
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "HTTP " + status : type.getReasonPhrase();
    String detail = status == 404 ? "no resource at this path" : title;
    if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
      return unreadableJson(json);
    }
    Response.ResponseBuilder builder =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .entity(
                new Problem(
                    Problem.type(title.toLowerCase().replace(' ', '-')),
                    title,
                    status,
                    detail,
                    RequestIds.current(),
                    List.of()));
    // Keep headers that tell the client what would work, such as Allow on a 405.
    e.getResponse()
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                values.forEach(v -> builder.header(name, v));
              }
            });
    return builder.build();
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    if (DatabaseFailures.isUnavailable(e)) {
      // Once per outage, not once per request: readiness ends it when the database answers.
      outages.failed(DatabaseReadiness.DATABASE, e);
      return Response.fromResponse(
              respond(
                  503,
                  "database-unavailable",
                  "Service unavailable",
                  "the database cannot be reached; retry later",
                  List.of()))
          .header(HttpHeaders.RETRY_AFTER, "5")
          .build();
    }
    LOG.error("unexpected error", e);
    return respond(
        500,
        "internal-error",
        "Internal error",
        "an unexpected error occurred; quote request id "
            + RequestIds.current()
            + " when reporting it",
        List.of());
  }

  private static Response unauthenticated() {
    return Response.fromResponse(
            respond(
                401,
                "unauthorized",
                "Unauthorized",
                "a valid bearer token is required (missing, expired or not trusted)",
                List.of()))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  static Response respond(
      int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Problem(Problem.type(slug), title, status, detail, RequestIds.current(), errors))
        .build();
  }

  private static boolean isReturnValueViolation(ConstraintViolation<?> violation) {
    for (Path.Node node : violation.getPropertyPath()) {
      if (node.getKind() == ElementKind.RETURN_VALUE) {
        return true;
      }
    }
    return false;
  }

  /** {@code create.request.limits[0].amount} becomes {@code limits[0].amount}. */
  static String fieldName(ConstraintViolation<?> violation) {
    StringBuilder field = new StringBuilder();
    for (Path.Node node : violation.getPropertyPath()) {
      if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
        continue;
      }
      if (node.getIndex() != null) {
        field.append('[').append(node.getIndex()).append(']');
      } else if (node.getKey() != null) {
        field.append('[').append(node.getKey()).append(']');
      }
      if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(node.getName());
      }
    }
    if (field.length() == 0) {
      // A violation on a whole parameter, such as a missing body: name the parameter.
      for (Path.Node node : violation.getPropertyPath()) {
        if (node.getKind() == ElementKind.PARAMETER) {
          return node.getName();
        }
      }
      return "body";
    }
    return field.toString();
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "body" : path.toString();
  }

  private static String describe(Class<?> type) {
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "number";
    }
    if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      return "value (one of "
          + java.util.Arrays.stream(constants)
              .map(c -> c.toString().toLowerCase())
              .collect(Collectors.joining(", "))
          + ")";
    }
    return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
  }
}
