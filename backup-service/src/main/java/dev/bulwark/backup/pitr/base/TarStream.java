package dev.bulwark.backup.pitr.base;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A tar stream walked block by block as it is written, one way for the readers that watch a base
 * backup go by: a subclass sees each member's header, then its data (with the padding to whole
 * blocks), then the archive's first zero block and whatever follows it. Holds one header block.
 */
public abstract class TarStream extends OutputStream {

  private static final int BLOCK = TarHeaders.BLOCK;

  private final byte[] header = new byte[BLOCK];
  private int headerFill;
  // Bytes of the current member's data (with its padding) still to come.
  private long dataLeft;
  // Past the archive's first zero block.
  private boolean ended;

  /** A member's header block; its data follows ({@link TarHeaders#size} bytes, padded). */
  protected abstract void header(byte[] header) throws IOException;

  /** Part of the current member's data; {@code last} when it ends the member's padded data. */
  protected abstract void data(byte[] b, int off, int len, boolean last) throws IOException;

  /** The archive's first zero block. */
  protected void endOfArchive(byte[] zeroBlock) throws IOException {}

  /** Bytes after the first zero block: the second one, and any padding of the stream. */
  protected void trailer(byte[] b, int off, int len) throws IOException {}

  /** Whether the archive's first zero block went by. */
  protected final boolean ended() {
    return ended;
  }

  /** Whether the stream stopped inside a block or a member's data. */
  protected final boolean midMember() {
    return headerFill != 0 || dataLeft != 0;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    while (off < end) {
      if (ended) {
        trailer(b, off, end - off);
        return;
      }
      if (dataLeft > 0) {
        int n = (int) Math.min(dataLeft, end - off);
        dataLeft -= n;
        data(b, off, n, dataLeft == 0);
        off += n;
        continue;
      }
      int n = Math.min(BLOCK - headerFill, end - off);
      System.arraycopy(b, off, header, headerFill, n);
      headerFill += n;
      off += n;
      if (headerFill == BLOCK) {
        headerFill = 0;
        if (TarHeaders.isZeroBlock(header)) {
          ended = true;
          endOfArchive(header);
        } else {
          dataLeft = TarHeaders.paddedSize(TarHeaders.size(header));
          header(header);
        }
      }
    }
  }
}
