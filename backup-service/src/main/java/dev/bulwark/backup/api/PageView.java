package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.Page;
import dev.bulwark.backup.pages.StoredPage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** An archived fetch of a page; {@code deduplicated} only in the answer to a store. */
public record PageView(
    UUID id,
    String url,
    String host,
    Instant fetchedAt,
    int status,
    Optional<String> contentType,
    Optional<String> leadId,
    Instant storedAt,
    String sha256,
    long rawBytes,
    long storedBytes,
    Optional<Long> dictionaryId,
    int compressionLevel,
    Optional<Boolean> deduplicated) {

  static PageView of(Page p) {
    return of(p, Optional.empty());
  }

  static PageView of(StoredPage stored) {
    return of(stored.page(), Optional.of(stored.deduplicated()));
  }

  private static PageView of(Page p, Optional<Boolean> deduplicated) {
    return new PageView(
        p.id(),
        p.url(),
        p.host(),
        p.fetchedAt(),
        p.httpStatus(),
        p.contentType(),
        p.leadId(),
        p.storedAt(),
        p.object().sha256(),
        p.object().rawBytes(),
        p.object().storedBytes(),
        p.object().dictionaryId(),
        p.object().level(),
        deduplicated);
  }
}
