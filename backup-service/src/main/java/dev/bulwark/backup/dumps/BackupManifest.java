package dev.bulwark.backup.dumps;

import java.time.Instant;
import java.util.SortedMap;

/**
 * The record that makes a logical backup exist, stored beside its dump as {@code manifest.json}
 * once the dump is complete.
 */
public record BackupManifest(
    String target,
    String backupId,
    Instant startedAt,
    Instant finishedAt,
    int serverVersionNum,
    String dumpKey,
    long rawBytes,
    long storedBytes,
    String storedSha256,
    String ageRecipient,
    SortedMap<String, Long> rowCounts) {}
