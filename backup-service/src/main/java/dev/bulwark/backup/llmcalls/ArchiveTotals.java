package dev.bulwark.backup.llmcalls;

/**
 * The archived calls as the database holds them: rows, UTF-8 bytes as received, bytes on disk of
 * the partitions ({@code pg_table_size}: heap and TOAST after compression, no indexes) and
 * partitions.
 */
public record ArchiveTotals(long rows, long rawBytes, long storedBytes, long partitions) {}
