package dev.bulwark.backup.crypto;

import static dev.bulwark.backup.crypto.AgeDecryptionFailure.HEADER_ALTERED;
import static dev.bulwark.backup.crypto.AgeDecryptionFailure.MALFORMED_HEADER;
import static dev.bulwark.backup.crypto.AgeDecryptionFailure.NO_MATCHING_IDENTITY;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The age v1 header: the intro line, one X25519 recipient stanza per recipient and the MAC line
 * (https://age-encryption.org/v1). Writes it, and reads it back to the file key.
 */
final class AgeHeader {

  static final int FILE_KEY_SIZE = 16;
  private static final String INTRO = "age-encryption.org/v1\n";
  private static final String X25519_LABEL = "age-encryption.org/v1/X25519";
  private static final int COLUMNS = 64;
  private static final int BYTES_PER_LINE = COLUMNS / 4 * 3;
  // A header of X25519 stanzas is a few hundred bytes; the bound keeps a hostile file from
  // making us buffer without end.
  private static final int MAX_LINE = 4096;
  private static final int MAX_HEADER = 64 * 1024;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  private record Stanza(String type, List<String> args, byte[] body) {}

  private AgeHeader() {}

  /** The header that wraps {@code fileKey} to {@code recipient}, MAC line included. */
  static byte[] write(byte[] fileKey, AgeRecipient recipient, byte[] ephemeralSecret) {
    byte[] ephemeralPublic = AgeCrypto.x25519Base(ephemeralSecret);
    byte[] theirs = recipient.publicKey();
    byte[] shared =
        AgeCrypto.x25519(ephemeralSecret, theirs)
            .orElseThrow(() -> new IllegalArgumentException("recipient is a low-order point"));
    byte[] wrappingKey =
        AgeCrypto.hkdf(shared, concat(ephemeralPublic, theirs), X25519_LABEL, AgeCrypto.KEY_SIZE);
    byte[] body = AgeCrypto.sealOnce(wrappingKey, fileKey);

    StringBuilder text = new StringBuilder(INTRO);
    text.append("-> X25519 ").append(B64.encodeToString(ephemeralPublic)).append('\n');
    String encoded = B64.encodeToString(body);
    for (int i = 0; i < encoded.length(); i += COLUMNS) {
      text.append(encoded, i, Math.min(encoded.length(), i + COLUMNS)).append('\n');
    }
    if (encoded.length() % COLUMNS == 0) {
      text.append('\n'); // a body ends with a short line, empty if need be
    }
    text.append("---");
    byte[] withoutMac = text.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] mac = headerMac(fileKey, withoutMac);
    return concat(
        withoutMac, (" " + B64.encodeToString(mac) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Reads the header from {@code in} (leaving it at the payload) and returns the file key that one
   * of {@code identities} unwraps, after verifying the header MAC with it.
   */
  static byte[] read(InputStream in, List<AgeIdentity> identities) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    String intro = readLine(in, seen);
    if (!(intro + "\n").equals(INTRO)) {
      throw malformed("it does not start with the age v1 intro line: not an age file");
    }
    List<Stanza> stanzas = new ArrayList<>();
    byte[] mac;
    while (true) {
      int macStart = seen.size();
      String line = readLine(in, seen);
      if (line.startsWith("---")) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 2 || !parts[0].equals("---")) {
          throw malformed("its MAC line is malformed");
        }
        mac = decodeBase64(parts[1]);
        if (mac.length != 32) {
          throw malformed("its MAC is not 32 bytes");
        }
        byte[] withoutMac = new byte[macStart + 3];
        System.arraycopy(seen.toByteArray(), 0, withoutMac, 0, withoutMac.length);
        return unwrap(stanzas, identities, withoutMac, mac);
      }
      stanzas.add(readStanza(line, in, seen));
    }
  }

  private static byte[] unwrap(
      List<Stanza> stanzas, List<AgeIdentity> identities, byte[] withoutMac, byte[] mac)
      throws AgeDecryptionException {
    for (Stanza stanza : stanzas) {
      if (!stanza.type().equals("X25519")) {
        continue; // another recipient type (or grease): not ours
      }
      if (stanza.args().size() != 1 || stanza.body().length != FILE_KEY_SIZE + AgeCrypto.TAG_SIZE) {
        throw malformed("an X25519 stanza is malformed");
      }
      byte[] ephemeralPublic = decodeBase64(stanza.args().get(0));
      if (ephemeralPublic.length != 32) {
        throw malformed("an X25519 stanza's share is not 32 bytes");
      }
      for (AgeIdentity identity : identities) {
        Optional<byte[]> fileKey = unwrapWith(identity, ephemeralPublic, stanza.body());
        if (fileKey.isPresent()) {
          if (!MessageDigest.isEqual(headerMac(fileKey.get(), withoutMac), mac)) {
            throw new AgeDecryptionException(
                HEADER_ALTERED, "the age header's MAC does not verify: the header was altered");
          }
          return fileKey.get();
        }
      }
    }
    throw new AgeDecryptionException(
        NO_MATCHING_IDENTITY,
        "no configured identity opens this file (encrypted to another recipient?); tried "
            + identities.stream().map(i -> i.recipient().keyId()).toList());
  }

  private static Optional<byte[]> unwrapWith(
      AgeIdentity identity, byte[] ephemeralPublic, byte[] body) throws AgeDecryptionException {
    byte[] ours = identity.recipient().publicKey();
    // An all-zero shared secret (a low-order share) would let anyone compute the wrapping key.
    byte[] shared =
        AgeCrypto.x25519(identity.secretKey(), ephemeralPublic)
            .orElseThrow(() -> malformed("an X25519 stanza's share is a low-order point"));
    byte[] wrappingKey =
        AgeCrypto.hkdf(shared, concat(ephemeralPublic, ours), X25519_LABEL, AgeCrypto.KEY_SIZE);
    return AgeCrypto.openOnce(wrappingKey, body);
  }

  private static Stanza readStanza(String first, InputStream in, ByteArrayOutputStream seen)
      throws IOException {
    String[] parts = first.split(" ", -1);
    if (parts.length < 2 || !parts[0].equals("->")) {
      throw malformed("a recipient stanza does not start with '->'");
    }
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isEmpty() || !parts[i].chars().allMatch(c -> c >= 33 && c <= 126)) {
        throw malformed("a recipient stanza has an empty or non-printable argument");
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in, seen);
      byte[] bytes = decodeBase64(line);
      if (bytes.length > BYTES_PER_LINE) {
        throw malformed("a stanza body line is longer than 64 columns");
      }
      body.writeBytes(bytes);
      if (bytes.length < BYTES_PER_LINE) {
        return new Stanza(parts[1], List.of(parts).subList(2, parts.length), body.toByteArray());
      }
    }
  }

  private static String readLine(InputStream in, ByteArrayOutputStream seen) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw malformed("the header ends before its MAC line (truncated?)");
      }
      seen.write(b);
      if (seen.size() > MAX_HEADER) {
        throw malformed("the header is larger than " + MAX_HEADER + " bytes");
      }
      if (b == '\n') {
        return line.toString();
      }
      if (b < 32 || b > 126 || line.length() >= MAX_LINE) {
        throw malformed("the header holds a non-printable byte or an overlong line");
      }
      line.append((char) b);
    }
  }

  /** Strict unpadded base64: the only encoding whose re-encoding is the same text. */
  private static byte[] decodeBase64(String text) throws AgeDecryptionException {
    try {
      byte[] bytes = B64_DECODER.decode(text);
      if (!B64.encodeToString(bytes).equals(text)) {
        throw malformed("the header holds non-canonical base64");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw malformed("the header holds invalid base64");
    }
  }

  private static byte[] headerMac(byte[] fileKey, byte[] withoutMac) {
    byte[] key = AgeCrypto.hkdf(fileKey, null, "header", 32);
    return AgeCrypto.hmacSha256(key, withoutMac);
  }

  private static AgeDecryptionException malformed(String why) {
    return new AgeDecryptionException(MALFORMED_HEADER, "not a valid age v1 header: " + why);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
