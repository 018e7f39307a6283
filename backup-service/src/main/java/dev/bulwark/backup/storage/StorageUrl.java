package dev.bulwark.backup.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where objects live: {@code file:///absolute/path} or {@code s3://bucket[/prefix]}. */
public sealed interface StorageUrl {

  String FORMS = "use file:///absolute/path or s3://bucket[/prefix]";

  /** A directory on this machine. */
  record File(Path root) implements StorageUrl {
    @Override
    public String toString() {
      return root.toUri().toString();
    }
  }

  /** A bucket, and a key prefix that is empty or ends with {@code /}. */
  record S3(String bucket, String prefix) implements StorageUrl {
    @Override
    public String toString() {
      return "s3://" + bucket + "/" + prefix;
    }
  }

  /**
   * Reads a URL, explaining what is wrong with one it cannot use.
   *
   * @throws IllegalArgumentException for a malformed URL or a scheme other than file and s3
   */
  static StorageUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a URL (" + e.getReason() + "); " + FORMS);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    switch (scheme) {
      case "file" -> {
        if (uri.getAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
          throw new IllegalArgumentException(
              "'" + text + "' does not name an absolute directory; " + FORMS);
        }
        return new File(Path.of(uri.getPath()).normalize());
      }
      case "s3" -> {
        String bucket = uri.getHost();
        if (bucket == null || uri.getUserInfo() != null || uri.getPort() != -1) {
          throw new IllegalArgumentException(
              "'" + text + "' does not name a bucket (s3://bucket[/prefix]); " + FORMS);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.startsWith("/") ? path.substring(1) : path;
        if (!prefix.isEmpty()) {
          if (!prefix.endsWith("/")) {
            prefix = prefix + "/";
          }
          try {
            ObjectKey.validPrefix(prefix);
          } catch (InvalidObjectKey e) {
            throw new IllegalArgumentException(
                "'" + text + "' has an unusable key prefix (" + e.getMessage() + "); " + FORMS);
          }
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
          throw new IllegalArgumentException("'" + text + "' has a query or fragment; " + FORMS);
        }
        return new S3(bucket, prefix);
      }
      default ->
          throw new IllegalArgumentException(
              "'" + text + "' has an unsupported scheme '" + scheme + "'; " + FORMS);
    }
  }
}
