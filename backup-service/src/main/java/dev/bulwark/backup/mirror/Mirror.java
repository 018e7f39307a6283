package dev.bulwark.backup.mirror;

import dev.bulwark.backup.storage.ObjectStorage;
import java.time.Duration;

/** One configured mirror: every object of {@code source} is kept at {@code destination}. */
public record Mirror(
    String name,
    ObjectStorage source,
    ObjectStorage destination,
    boolean deleteExtraneous,
    Duration interval) {}
