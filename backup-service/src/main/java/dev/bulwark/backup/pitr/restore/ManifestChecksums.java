package dev.bulwark.backup.pitr.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Compares the checksums taken while extracting ({@link TarFileChecksums}) with those of
 * pg_basebackup's {@code backup_manifest}. pg_verifybackup then checks the rest without reading the
 * files again ({@code --skip-checksums}): the manifest's own checksum, every file there with its
 * size, nothing extra, and the WAL.
 */
final class ManifestChecksums {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestChecksums() {}

  /**
   * Checks every file of {@code manifest} whose checksum is CRC-32C against {@code sums}.
   *
   * @return false when the manifest uses another algorithm: pg_verifybackup must read the files
   * @throws RecoveryFailed naming the first file that was not extracted as the manifest says
   */
  static boolean check(Path manifest, Map<String, TarFileChecksums.FileSum> sums, String backup)
      throws IOException {
    JsonNode files = JSON.readTree(Files.readAllBytes(manifest)).path("Files");
    for (JsonNode file : files) {
      if (!file.path("Checksum-Algorithm").asText().equals("CRC32C")) {
        return false;
      }
    }
    for (JsonNode file : files) {
      String path =
          file.has("Encoded-Path")
              ? new String(
                  HexFormat.of().parseHex(file.get("Encoded-Path").asText()),
                  StandardCharsets.UTF_8)
              : file.path("Path").asText();
      TarFileChecksums.FileSum sum = sums.get(path);
      if (sum == null) {
        throw new RecoveryFailed(
            "base backup " + backup + ": " + path + " of its backup_manifest is in no piece");
      }
      String expected = file.path("Checksum").asText().toLowerCase(Locale.ROOT);
      if (sum.size() != file.path("Size").asLong() || !matches(expected, sum.crc32c())) {
        throw new RecoveryFailed(
            "base backup "
                + backup
                + ": "
                + path
                + " was extracted with another size or checksum than its backup_manifest records");
      }
    }
    return true;
  }

  // PostgreSQL writes the CRC's four bytes in the order of the machine that took the backup.
  private static boolean matches(String expected, long crc) {
    int value = (int) crc;
    String bigEndian = String.format("%08x", value);
    String littleEndian =
        HexFormat.of()
            .formatHex(
                new byte[] {
                  (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
                });
    return expected.equals(littleEndian) || expected.equals(bigEndian);
  }
}
