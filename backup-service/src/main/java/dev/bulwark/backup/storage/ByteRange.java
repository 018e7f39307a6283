package dev.bulwark.backup.storage;

/**
 * A part of an object to read: {@code length} bytes from {@code offset}, or fewer where the object
 * ends first (a range past the end reads nothing).
 */
public record ByteRange(long offset, long length) {

  public ByteRange {
    if (offset < 0 || length < 1) {
      throw new IllegalArgumentException(
          "a byte range needs offset >= 0 and length >= 1, not " + offset + "+" + length);
    }
  }

  /** From {@code offset} to the end of the object. */
  public static ByteRange from(long offset) {
    return new ByteRange(offset, Long.MAX_VALUE - offset);
  }

  /** The last byte's position, inclusive, as HTTP's Range header counts. */
  long last() {
    return offset + length - 1;
  }

  boolean toTheEnd() {
    return offset + length == Long.MAX_VALUE;
  }
}
