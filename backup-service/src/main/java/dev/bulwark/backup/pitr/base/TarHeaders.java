package dev.bulwark.backup.pitr.base;

import java.nio.charset.StandardCharsets;

/**
 * Fields of a 512-byte tar header block (ustar, with GNU's base-256 sizes): one way to read them.
 */
public final class TarHeaders {

  public static final int BLOCK = 512;

  private TarHeaders() {}

  /** An all-zero block: the end of the archive. */
  public static boolean isZeroBlock(byte[] header) {
    for (byte b : header) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** The member's name, with its ustar prefix when it has one. */
  public static String name(byte[] header) {
    String name = field(header, 0, 100);
    String prefix = field(header, 345, 155);
    boolean ustar = field(header, 257, 5).equals("ustar");
    return ustar && !prefix.isEmpty() ? prefix + "/" + name : name;
  }

  /** The type flag: '0' (or 0) a regular file, '5' a directory, 'L' a GNU long name, ... */
  public static byte type(byte[] header) {
    return header[156];
  }

  /** The member's size: octal, or GNU's base-256 (high bit of the first byte set) over 8 GiB. */
  public static long size(byte[] header) {
    if ((header[124] & 0x80) != 0) {
      long value = 0;
      for (int i = 125; i < 136; i++) {
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    String octal = field(header, 124, 12).trim();
    return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
  }

  /** The size of the member's data with its padding to whole blocks. */
  public static long paddedSize(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  private static String field(byte[] header, int offset, int length) {
    int n = 0;
    while (n < length && header[offset + n] != 0) {
      n++;
    }
    return new String(header, offset, n, StandardCharsets.US_ASCII);
  }
}
