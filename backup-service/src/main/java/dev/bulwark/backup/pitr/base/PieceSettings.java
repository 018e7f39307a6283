package dev.bulwark.backup.pitr.base;

import dev.bulwark.backup.config.BaseBackupConfig;

/**
 * How a base backup's tar is cut and handled: pieces of about {@code pieceBytes} raw bytes, {@code
 * parallelism} of them stored (and, at restore, extracted) at once.
 */
public record PieceSettings(int parallelism, long pieceBytes) {

  /** The configuration's defaults: 2 at once, 64 MiB pieces. */
  public static final PieceSettings DEFAULTS = new PieceSettings(2, 64L * 1024 * 1024);

  public PieceSettings {
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "bulwark.backup.pitr.base.parallelism must be 1 or more, was " + parallelism);
    }
    if (pieceBytes < 1024 * 1024) {
      throw new IllegalArgumentException(
          "bulwark.backup.pitr.base.piece-size must be at least 1 MiB (1048576), was "
              + pieceBytes);
    }
  }

  public static PieceSettings of(BaseBackupConfig config) {
    return new PieceSettings(config.parallelism(), config.pieceSize());
  }
}
