package dev.bulwark.backup.pitr.base;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Watches a tar stream go by and keeps one member's content ({@code backup_manifest}, which
 * pg_basebackup puts into the tar it writes to stdout), holding nothing else: memory stays at one
 * header whatever the archive's size.
 */
final class TarMemberCatcher extends TarStream {

  private final String wanted;
  private final long limit;
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
  protected void header(byte[] header) throws IOException {
    String name = TarHeaders.name(header);
    if (name.equals(wanted) || name.equals("./" + wanted)) {
      long size = TarHeaders.size(header);
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

  @Override
  protected void data(byte[] b, int off, int len, boolean last) {
    if (catching != null && contentLeft > 0) {
      int keep = (int) Math.min(contentLeft, len);
      catching.write(b, off, keep);
      contentLeft -= keep;
      if (contentLeft == 0) {
        caught = Optional.of(catching.toByteArray());
        catching = null;
      }
    }
  }
}
