package dev.bulwark.backup.pitr.restore;

import dev.bulwark.backup.pitr.base.TarHeaders;
import dev.bulwark.backup.pitr.base.TarStream;
import java.io.ByteArrayOutputStream;
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
final class TarFileChecksums extends TarStream {

  /** A file's size and CRC-32C as the archive held it. */
  record FileSum(long size, long crc32c) {}

  private static final int LONG_NAME_LIMIT = 64 * 1024;

  private final OutputStream out;
  private final Map<String, FileSum> sums;
  private long contentLeft; // of the current member, without its padding
  private String name;
  private long size;
  private CRC32C crc;
  private ByteArrayOutputStream longName;
  private String nextName;

  TarFileChecksums(OutputStream out, Map<String, FileSum> sums) {
    this.out = out;
    this.sums = sums;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    super.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  @Override
  protected void header(byte[] header) {
    byte type = TarHeaders.type(header);
    size = TarHeaders.size(header);
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
    if (size == 0) {
      memberEnded();
    }
  }

  @Override
  protected void data(byte[] b, int off, int len, boolean last) {
    int content = (int) Math.min(contentLeft, len);
    if (content > 0) {
      if (crc != null) {
        crc.update(b, off, content);
      } else if (longName != null && longName.size() < LONG_NAME_LIMIT) {
        longName.write(b, off, content);
      }
      contentLeft -= content;
    }
    if (last) {
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
