package dev.bulwark.backup.llmcalls;

/**
 * What a batch did: {@code accepted} calls are now archived, of which {@code deduplicated} were
 * already (retries, stored once).
 */
public record StoredBatch(int accepted, int deduplicated) {}
