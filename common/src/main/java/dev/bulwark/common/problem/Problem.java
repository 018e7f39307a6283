package dev.bulwark.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} lists field violations; {@code requestId} lets an
 * operator find the matching log lines.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    URI type, String title, int status, String detail, String requestId, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * Base of our problem type URIs; each type has a short slug, such as {@code budget-not-found}.
   */
  public static final String TYPE_BASE = "https://bulwark.dev/problems/";

  /** One invalid field of a request and what is wrong with it. */
  public record FieldError(String field, String message) {}

  public static URI type(String slug) {
    return URI.create(TYPE_BASE + slug);
  }
}
