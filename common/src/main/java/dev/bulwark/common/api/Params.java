package dev.bulwark.common.api;

import dev.bulwark.common.problem.InvalidParameter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * Parses path and query parameters taken as text. Left to JAX-RS, a parameter that does not convert
 * answers {@code 404 no resource at this path}; parsed here, it is a 400 that names it. Keep the
 * OpenAPI type with {@code @Parameter(schema = @Schema(format = "uuid"))} and friends.
 */
public final class Params {

  private Params() {}

  /** A required UUID, such as a path id. */
  public static UUID uuid(String name, String value) {
    try {
      // UUID.fromString accepts short forms such as 1-2-3-4-5: ask for the canonical 36 characters.
      if (value != null && value.length() == 36) {
        return UUID.fromString(value);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new InvalidParameter(name, value, "a UUID such as 4c1d2e3f-0000-4000-8000-000000000000");
  }

  public static Optional<UUID> optionalUuid(String name, String value) {
    return value == null ? Optional.empty() : Optional.of(uuid(name, value));
  }

  public static Optional<Instant> optionalInstant(String name, String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      throw new InvalidParameter(name, value, "an ISO-8601 instant such as 2026-11-01T00:00:00Z");
    }
  }

  /** An integer in {@code [min, max]}, or {@code fallback} when absent. */
  public static int integer(String name, String value, int min, int max, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidParameter(name, value, "a whole number from " + min + " to " + max);
  }

  /** {@code true} or {@code false}, or {@code fallback} when absent. */
  public static boolean bool(String name, String value, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidParameter(name, value, "true or false");
    };
  }
}
