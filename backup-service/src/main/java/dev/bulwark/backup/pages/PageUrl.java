package dev.bulwark.backup.pages;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A page's URL as sent (kept verbatim: versions are per exact URL) and its normalized host: lower
 * case, internationalized names in ASCII (punycode), without a trailing dot or a leading {@code
 * www.}, so that one site's pages group under one host.
 */
public record PageUrl(String url, String host) {

  /** The longest URL accepted; browsers and crawlers rarely go past 2,000 characters. */
  static final int MAX_LENGTH = 4096;

  public static PageUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidPageUrl(String.valueOf(url), "is missing");
    }
    if (url.length() > MAX_LENGTH) {
      throw new InvalidPageUrl(
          url.substring(0, 64) + "...", "is longer than " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidPageUrl(
          url, "does not parse (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidPageUrl(url, "is not an absolute http or https URL");
    }
    // getHost() is null for hosts java.net.URI cannot parse as a server name (IDN, underscores).
    String host = uri.getHost() != null ? uri.getHost() : serverName(uri.getRawAuthority());
    if (host == null || host.isEmpty()) {
      throw new InvalidPageUrl(url, "has no host");
    }
    return new PageUrl(url, normalize(url, host));
  }

  private static String serverName(String authority) {
    if (authority == null) {
      return null;
    }
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    int port = host.lastIndexOf(':');
    return port > 0 && !host.endsWith("]") ? host.substring(0, port) : host;
  }

  private static String normalize(String url, String host) {
    String ascii;
    try {
      ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new InvalidPageUrl(url, "has a host that is not a valid domain name");
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.startsWith("www.") && ascii.length() > 4) {
      ascii = ascii.substring(4);
    }
    return ascii;
  }
}
