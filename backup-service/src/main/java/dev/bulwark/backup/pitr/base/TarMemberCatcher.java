package dev.bulwark.backup.pitr.base;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Watches a tar stream go by and keeps one member's content ({@code backup_manifest}, which
 * pg_basebackup puts into the tar it writes to stdout), holding nothing else: memory stays at one
 * header whatever the archive's size.
 */
final class TarMemberCatcher extends OutputStream {

  private static final int BLOCK = TarHeaders.BLOCK;

  private final String wanted;
  private final long limit;
  private final byte[] header = new byte[BLOCK];
  private int headerFill;
  // Bytes of the current member's data (with its padding) still to come.
  private long dataLeft;
  private long contentLeft;
  private ByteArrayOutputStream catching;
  private Optional<byte[]> caught = Optional.empty();

  TarMemberCatcher(String wanted, long limit) {
    this.wanted = wanted;
    this.limit = limit;
  }

  /** The member's content, once the stream has passed it whole. */
  Optional<byte[]> caught() {
    return caught;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    while (off < end) {
      if (dataLeft > 0) {
        int n = (int) Math.min(dataLeft, end - off);
        if (catching != null && contentLeft > 0) {
          int keep = (int) Math.min(contentLeft, n);
          catching.write(b, off, keep);
          contentLeft -= keep;
          if (contentLeft == 0) {
            caught = Optional.of(catching.toByteArray());
            catching = null;
          }
        }
        dataLeft -= n;
        off += n;
        continue;
      }
      int n = Math.min(BLOCK - headerFill, end - off);
      System.arraycopy(b, off, header, headerFill, n);
      headerFill += n;
      off += n;
      if (headerFill == BLOCK) {
        headerFill = 0;
        readHeader();
      }
    }
  }

  private void readHeader() throws IOException {
    if (header[0] == 0) {
      return; // an end-of-archive block
    }
    String name = TarHeaders.name(header);
    long size = TarHeaders.size(header);
    dataLeft = TarHeaders.paddedSize(size);
    if (name.equals(wanted) || name.equals("./" + wanted)) {
      if (size > limit) {
        throw new IOException(wanted + " is larger than " + limit + " bytes");
      }
      contentLeft = size;
      catching = new ByteArrayOutputStream((int) size);
      if (size == 0) {
        caught = Optional.of(new byte[0]);
        catching = null;
      }
    }
  }
}
