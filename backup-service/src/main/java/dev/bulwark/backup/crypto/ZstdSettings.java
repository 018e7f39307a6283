package dev.bulwark.backup.crypto;

/**
 * How backups are compressed: the zstd level (3 is zstd's default: fast, a good ratio for SQL
 * dumps) and the worker threads (0 compresses on the writing thread).
 */
public record ZstdSettings(int level, int workers) {

  public ZstdSettings {
    if (level < 1 || level > 19) {
      throw new IllegalArgumentException("zstd level must be 1..19, was " + level);
    }
    if (workers < 0) {
      throw new IllegalArgumentException("zstd workers must be 0 or more, was " + workers);
    }
  }
}
