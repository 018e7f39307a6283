package dev.bulwark.common.problem;

import java.util.List;
import java.util.Map;

/**
 * Base of the small typed exceptions that domain code throws; {@link ProblemMappers} turns each
 * into problem+json. The message is the {@code detail}: write it for the caller, never with
 * internals.
 */
public abstract class ProblemException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final List<Problem.FieldError> errors;

  protected ProblemException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, List.of());
  }

  protected ProblemException(
      int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }

  /** Response headers the problem needs, such as an authentication challenge. */
  public Map<String, String> headers() {
    return Map.of();
  }
}
