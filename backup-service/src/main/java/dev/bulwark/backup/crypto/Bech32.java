package dev.bulwark.backup.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Bech32 (BIP 173) as age uses it for keys: no length limit, one case per string. */
final class Bech32 {

  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int[] GENERATOR = {
    0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3
  };

  /** A decoded string: its human-readable part (as written) and its data bytes. */
  record Decoded(String hrp, byte[] data) {}

  private Bech32() {}

  static String encode(String hrp, byte[] data) {
    boolean upper =
        hrp.equals(hrp.toUpperCase(Locale.ROOT)) && !hrp.equals(hrp.toLowerCase(Locale.ROOT));
    String lowerHrp = hrp.toLowerCase(Locale.ROOT);
    byte[] values = convertBits(data, 8, 5, true);
    byte[] checksum = checksum(lowerHrp, values);
    StringBuilder out = new StringBuilder(lowerHrp).append('1');
    for (byte v : values) {
      out.append(CHARSET.charAt(v));
    }
    for (byte v : checksum) {
      out.append(CHARSET.charAt(v));
    }
    return upper ? out.toString().toUpperCase(Locale.ROOT) : out.toString();
  }

  /**
   * Decodes {@code s}, verifying its checksum; the message never repeats {@code s} (it may be
   * secret).
   */
  static Decoded decode(String s) {
    if (!s.equals(s.toLowerCase(Locale.ROOT)) && !s.equals(s.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("mixes upper and lower case");
    }
    int separator = s.lastIndexOf('1');
    if (separator < 1 || separator + 7 > s.length()) {
      throw new IllegalArgumentException("has no '1' separator followed by a checksum");
    }
    String hrp = s.substring(0, separator);
    for (int i = 0; i < hrp.length(); i++) {
      char c = hrp.charAt(i);
      if (c < 33 || c > 126) {
        throw new IllegalArgumentException("has a character outside printable ASCII");
      }
    }
    String lower = s.toLowerCase(Locale.ROOT);
    byte[] values = new byte[s.length() - separator - 1];
    for (int i = 0; i < values.length; i++) {
      int d = CHARSET.indexOf(lower.charAt(separator + 1 + i));
      if (d < 0) {
        throw new IllegalArgumentException("has a character outside the bech32 alphabet");
      }
      values[i] = (byte) d;
    }
    if (polymod(concat(expandHrp(hrp.toLowerCase(Locale.ROOT)), values)) != 1) {
      throw new IllegalArgumentException("fails its bech32 checksum (mistyped or cut short?)");
    }
    byte[] payload = new byte[values.length - 6];
    System.arraycopy(values, 0, payload, 0, payload.length);
    return new Decoded(hrp, convertBits(payload, 5, 8, false));
  }

  private static byte[] checksum(String hrp, byte[] values) {
    byte[] enlarged = concat(concat(expandHrp(hrp), values), new byte[6]);
    int mod = polymod(enlarged) ^ 1;
    byte[] out = new byte[6];
    for (int i = 0; i < 6; i++) {
      out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
    }
    return out;
  }

  private static int polymod(byte[] values) {
    int chk = 1;
    for (byte v : values) {
      int top = chk >>> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
      for (int i = 0; i < 5; i++) {
        if (((top >>> i) & 1) == 1) {
          chk ^= GENERATOR[i];
        }
      }
    }
    return chk;
  }

  private static byte[] expandHrp(String hrp) {
    byte[] out = new byte[hrp.length() * 2 + 1];
    for (int i = 0; i < hrp.length(); i++) {
      out[i] = (byte) (hrp.charAt(i) >>> 5);
      out[hrp.length() + 1 + i] = (byte) (hrp.charAt(i) & 31);
    }
    return out;
  }

  private static byte[] convertBits(byte[] data, int from, int to, boolean pad) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int acc = 0;
    int bits = 0;
    int max = (1 << to) - 1;
    for (byte b : data) {
      int value = b & 0xff;
      if ((value >>> from) != 0) {
        throw new IllegalArgumentException("has an invalid data value");
      }
      acc = (acc << from) | value;
      bits += from;
      while (bits >= to) {
        bits -= to;
        out.write((acc >>> bits) & max);
      }
    }
    if (pad) {
      if (bits > 0) {
        out.write((acc << (to - bits)) & max);
      }
    } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
      throw new IllegalArgumentException("has invalid padding bits");
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
