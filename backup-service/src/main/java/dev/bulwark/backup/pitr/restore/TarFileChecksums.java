package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.pitr.base.TarHeaders;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Passes a tar stream on to {@code tar -x} and, as it goes by, takes the CRC-32C of each regular
 * file's content into {@code sums} (by its path in the archive): the checksums pg_basebackup's
 * {@code backup_manifest} records, taken on the way in rather than by reading the directory again.
 */
final class TarFileChecksums extends FilterOutputStream {

  /** A file's size and CRC-32C as the archive held it. */
  record FileSum(long size, long crc32c) {}

  private static final int BLOCK = TarHeaders.BLOCK;
  private static final int LONG_NAME_LIMIT = 64 * 1024;

  private final Map<String, FileSum> sums;
  private final byte[] header = new byte[BLOCK];
  private int headerFill;
  private boolean ended;
  private long dataLeft; // of the current member, with its padding
  private long contentLeft; // of the current member, without it
  private String name;
  private long size;
  private CRC32C crc;
  private ByteArrayOutputStream longName;
  private String nextName;

  TarFileChecksums(OutputStream out, Map<String, FileSum> sums) {
    super(out);
    this.sums = sums;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    int end = off + len;
    while (off < end && !ended) {
      if (dataLeft > 0) {
        int n = (int) Math.min(dataLeft, end - off);
        int content = (int) Math.min(contentLeft, n);
        if (content > 0) {
          if (crc != null) {
            crc.update(b, off, content);
          } else if (longName != null && longName.size() < LONG_NAME_LIMIT) {
            longName.write(b, off, content);
          }
          contentLeft -= content;
        }
        dataLeft -= n;
        off += n;
        if (dataLeft == 0) {
          memberEnded();
        }
        continue;
      }
      int n = Math.min(BLOCK - headerFill, end - off);
      System.arraycopy(b, off, header, headerFill, n);
      headerFill += n;
      off += n;
      if (headerFill == BLOCK) {
        headerFill = 0;
        header();
      }
    }
  }

  private void header() {
    if (TarHeaders.isZeroBlock(header)) {
      ended = true;
      return;
    }
    byte type = TarHeaders.type(header);
    size = TarHeaders.size(header);
    dataLeft = TarHeaders.paddedSize(size);
    contentLeft = size;
    name = normalized(nextName != null ? nextName : TarHeaders.name(header));
    crc = null;
    longName = null;
    if (type == 'L') {
      longName = new ByteArrayOutputStream();
      name = null;
    } else {
      nextName = null;
      if (type == '0' || type == 0) {
        crc = new CRC32C();
      }
    }
    if (dataLeft == 0) {
      memberEnded();
    }
  }

  private void memberEnded() {
    if (longName != null) {
      String text = longName.toString(StandardCharsets.UTF_8);
      int nul = text.indexOf('\0');
      nextName = nul < 0 ? text : text.substring(0, nul);
      longName = null;
    } else if (crc != null) {
      sums.put(name, new FileSum(size, crc.getValue()));
      crc = null;
    }
  }

  private static String normalized(String path) {
    return path.startsWith("./") ? path.substring(2) : path;
  }
}
