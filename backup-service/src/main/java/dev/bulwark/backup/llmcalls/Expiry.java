package dev.bulwark.backup.llmcalls;

/**
 * What retention did to one expired partition: rows deleted, rows kept for legal holds, and whether
 * the partition was dropped (it stays while it holds kept rows).
 */
public record Expiry(Partition partition, long deleted, long held, boolean dropped) {}
