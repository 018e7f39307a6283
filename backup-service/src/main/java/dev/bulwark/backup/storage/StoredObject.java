package dev.bulwark.backup.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * What storage knows about a complete object: its size, when it was written and, where the backend
 * has one, its ETag (S3; for a multipart upload it is not an MD5 of the content).
 */
public record StoredObject(ObjectKey key, long size, Instant lastModified, Optional<String> etag) {}
