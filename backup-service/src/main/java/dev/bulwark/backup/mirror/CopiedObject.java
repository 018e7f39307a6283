package dev.bulwark.backup.mirror;

import java.time.Instant;
import java.util.Optional;

/**
 * A source object as it was when a mirror last copied it: what the next run compares the source
 * with to tell a changed object.
 */
public record CopiedObject(
    String key, long size, Optional<String> etag, Instant lastModified, Instant copiedAt) {}
