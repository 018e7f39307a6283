package dev.bulwark.common.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The wire form of every page cursor: a version and the cursor's fields joined by newlines, as
 * base64url text without padding. Opaque to callers. Only the last field may hold any character (a
 * name, a campaign); the others must not contain a newline.
 */
public final class CursorText {

  private CursorText() {}

  /** The text of a cursor of {@code version} with these fields. */
  public static String encode(String version, String... fields) {
    List<String> parts = new ArrayList<>(fields.length + 1);
    parts.add(version);
    parts.addAll(List.of(fields));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The {@code fields} fields of a cursor of {@code version}, or empty when {@code text} is not
   * base64url, is of another version or has another number of fields: not a cursor we issued.
   */
  public static Optional<List<String>> decode(String text, String version, int fields) {
    String[] parts;
    try {
      parts =
          new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8)
              .split("\n", fields + 1);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (parts.length != fields + 1 || !version.equals(parts[0])) {
      return Optional.empty();
    }
    return Optional.of(List.of(parts).subList(1, parts.length));
  }
}
