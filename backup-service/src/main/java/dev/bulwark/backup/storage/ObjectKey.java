package dev.bulwark.backup.storage;

import java.util.regex.Pattern;

/**
 * The name of an object in {@link ObjectStorage}: {@code /}-separated segments of letters, digits
 * and {@code . _ - = + , @ :}, the same on every backend.
 *
 * <p>The character set is narrow on purpose: a key maps onto a file path as well as an S3 key, so
 * it must not climb out of the storage root ({@code ..}), start at the file system root, or hold
 * characters that need escaping on either side. {@code ~} is kept out so that {@link FileStorage}
 * can name its temporary files with it.
 */
public record ObjectKey(String value) implements Comparable<ObjectKey> {

  /** S3's limit, in bytes of UTF-8; the key is ASCII, so also in characters. */
  static final int MAX_LENGTH = 1024;

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._\\-=+,@:]+");

  public ObjectKey {
    String problem = problemWith(value, false);
    if (problem != null) {
      throw new InvalidObjectKey("key", value, problem);
    }
  }

  public static ObjectKey of(String value) {
    return new ObjectKey(value);
  }

  /** Checks a listing prefix: like a key, but it may be empty or end with {@code /}. */
  static String validPrefix(String prefix) {
    String problem = prefix.isEmpty() ? null : problemWith(prefix, true);
    if (problem != null) {
      throw new InvalidObjectKey("prefix", prefix, problem);
    }
    return prefix;
  }

  /** Whether a name found in storage (a file, an S3 key) is one this type accepts. */
  static boolean isValid(String value) {
    return problemWith(value, false) == null;
  }

  private static String problemWith(String value, boolean prefix) {
    if (value == null || value.isEmpty()) {
      return "it is empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "it is longer than " + MAX_LENGTH + " characters";
    }
    if (value.startsWith("/")) {
      return "it starts with '/'; keys are relative";
    }
    String[] segments = value.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean trailing = i == segments.length - 1;
      if (segment.isEmpty() && !(prefix && trailing)) {
        return "it has an empty segment ('//' or a trailing '/')";
      }
      if (segment.equals("..") || segment.equals(".")) {
        return "it has a '" + segment + "' segment";
      }
      if (!segment.isEmpty() && !SEGMENT.matcher(segment).matches()) {
        return "segment '"
            + segment
            + "' has a character other than letters, digits and . _ - = + , @ :";
      }
    }
    return null;
  }

  @Override
  public int compareTo(ObjectKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
