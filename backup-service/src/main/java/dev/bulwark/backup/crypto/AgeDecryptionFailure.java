package dev.bulwark.backup.crypto;

/** Why an age stream could not be decrypted. */
public enum AgeDecryptionFailure {
  /** Not an age v1 file, or its header breaks the format. */
  MALFORMED_HEADER,
  /** None of the identities opens any recipient stanza: the backup was encrypted to another key. */
  NO_MATCHING_IDENTITY,
  /** The header MAC does not verify: the header was altered. */
  HEADER_ALTERED,
  /** A payload chunk does not authenticate: it was altered or cut short. */
  CHUNK_ALTERED,
  /** The stream ends before its last chunk. */
  TRUNCATED,
  /** Bytes follow the last chunk. */
  TRAILING_DATA
}
