package dev.bulwark.backup.pages;

import java.time.Instant;
import java.util.Optional;

/** A fetched page as the crawler sends it; {@code body} is encoded as {@code encoding} says. */
public record PageUpload(
    PageUrl url,
    Instant fetchedAt,
    int httpStatus,
    Optional<String> contentType,
    Optional<String> leadId,
    ContentEncoding encoding,
    byte[] body) {}
