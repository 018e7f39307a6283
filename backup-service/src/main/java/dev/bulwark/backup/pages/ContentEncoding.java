package dev.bulwark.backup.pages;

import java.util.Locale;

/** How the crawler sent a page's body: as fetched, or compressed by it. */
public enum ContentEncoding {
  IDENTITY,
  GZIP,
  ZSTD;

  /** The encoding a {@code Content-Encoding} header names; absent means identity. */
  public static ContentEncoding of(String header) {
    if (header == null || header.isBlank()) {
      return IDENTITY;
    }
    return switch (header.trim().toLowerCase(Locale.ROOT)) {
      case "identity" -> IDENTITY;
      case "gzip", "x-gzip" -> GZIP;
      case "zstd" -> ZSTD;
      default ->
          throw new UndecodableBody(
              "Content-Encoding '" + header + "' is not supported; send gzip, zstd or identity");
    };
  }
}
