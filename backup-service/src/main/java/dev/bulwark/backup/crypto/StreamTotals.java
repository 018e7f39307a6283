package dev.bulwark.backup.crypto;

/**
 * What passed through a backup stream: raw (uncompressed, unencrypted) bytes, stored bytes (the age
 * file) and the SHA-256 of the stored bytes in lower-case hex, for the manifest.
 */
public record StreamTotals(long rawBytes, long storedBytes, String storedSha256) {}
