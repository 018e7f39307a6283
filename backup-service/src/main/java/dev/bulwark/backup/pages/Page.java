package dev.bulwark.backup.pages;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** One archived fetch of a URL, with the object (shared by identical fetches) that holds it. */
public record Page(
    UUID id,
    String url,
    String host,
    Instant fetchedAt,
    int httpStatus,
    Optional<String> contentType,
    Optional<String> leadId,
    Instant storedAt,
    PageObject object) {

  /** Where a page of versions ended: the keyset of its last page. */
  public record Position(Instant fetchedAt, UUID id) {}

  public Position position() {
    return new Position(fetchedAt, id);
  }
}
