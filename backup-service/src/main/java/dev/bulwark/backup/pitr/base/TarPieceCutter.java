package dev.bulwark.backup.pitr.base;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Cuts a tar stream into pieces that are each a complete tar archive, so that a restore can extract
 * them side by side: a piece ends before the first member header that finds it at least {@code
 * pieceBytes} long, and gets the two zero blocks that end an archive. Members are never split (a
 * piece may hold one member bigger than the bound: PostgreSQL's relation files are at most 1 GiB
 * segments); the archive's own end goes into the last piece. Holds one header, nothing else.
 */
final class TarPieceCutter extends OutputStream {

  /** Where the pieces go, one after another. */
  interface Pieces {
    /** The stream of piece {@code index} (from 0); the cutter closes it when the piece ends. */
    OutputStream open(int index) throws IOException;
  }

  private static final int BLOCK = TarHeaders.BLOCK;
  private static final byte[] END_OF_ARCHIVE = new byte[2 * BLOCK];

  private final Pieces pieces;
  private final long pieceBytes;
  private final byte[] header = new byte[BLOCK];
  private int headerFill;
  // Bytes of the current member's data (with its padding) still to come.
  private long dataLeft;
  // Past the archive's first zero block: the rest goes to the last piece as it is.
  private boolean ended;
  // A GNU long name or pax header belongs to the member after it: no cut between them.
  private boolean extensionPending;
  private OutputStream piece;
  private int index = -1;
  private long pieceLength;
  private boolean closed;

  TarPieceCutter(Pieces pieces, long pieceBytes) {
    if (pieceBytes < BLOCK) {
      throw new IllegalArgumentException("a piece must hold at least one block, was " + pieceBytes);
    }
    this.pieces = pieces;
    this.pieceBytes = pieceBytes;
  }

  /** How many pieces were opened so far. */
  int pieceCount() {
    return index + 1;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    while (off < end) {
      if (ended || dataLeft > 0) {
        int n = ended ? end - off : (int) Math.min(dataLeft, end - off);
        current().write(b, off, n);
        pieceLength += n;
        if (!ended) {
          dataLeft -= n;
        }
        off += n;
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

  private void header() throws IOException {
    if (TarHeaders.isZeroBlock(header)) {
      ended = true;
    } else {
      if (piece != null && pieceLength >= pieceBytes && !extensionPending) {
        endPiece();
      }
      byte type = TarHeaders.type(header);
      extensionPending = type == 'L' || type == 'K' || type == 'x' || type == 'g';
      dataLeft = TarHeaders.paddedSize(TarHeaders.size(header));
    }
    current().write(header, 0, BLOCK);
    pieceLength += BLOCK;
  }

  private OutputStream current() throws IOException {
    if (piece == null) {
      index++;
      piece = pieces.open(index);
      pieceLength = 0;
    }
    return piece;
  }

  private void endPiece() throws IOException {
    piece.write(END_OF_ARCHIVE);
    piece.close();
    piece = null;
  }

  /**
   * Ends the last piece; a stream that ended inside a member or without the archive's end is an
   * error (pg_basebackup died), and no piece is ended cleanly then.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!ended || headerFill != 0) {
      throw new IOException("the tar stream ended before the end of its archive");
    }
    piece.close();
    piece = null;
  }
}
