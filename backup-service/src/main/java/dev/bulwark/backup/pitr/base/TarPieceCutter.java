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
final class TarPieceCutter extends TarStream {

  /** Where the pieces go, one after another. */
  interface Pieces {
    /** The stream of piece {@code index} (from 0); the cutter closes it when the piece ends. */
    OutputStream open(int index) throws IOException;
  }

  private static final int BLOCK = TarHeaders.BLOCK;
  private static final byte[] END_OF_ARCHIVE = new byte[2 * BLOCK];

  private final Pieces pieces;
  private final long pieceBytes;
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
  protected void header(byte[] header) throws IOException {
    if (piece != null && pieceLength >= pieceBytes && !extensionPending) {
      endPiece();
    }
    byte type = TarHeaders.type(header);
    extensionPending = type == 'L' || type == 'K' || type == 'x' || type == 'g';
    block(header, 0, BLOCK);
  }

  @Override
  protected void data(byte[] b, int off, int len, boolean last) throws IOException {
    block(b, off, len);
  }

  // The archive's own end, and whatever follows it, go into the last piece as they are.
  @Override
  protected void endOfArchive(byte[] zeroBlock) throws IOException {
    block(zeroBlock, 0, BLOCK);
  }

  @Override
  protected void trailer(byte[] b, int off, int len) throws IOException {
    block(b, off, len);
  }

  private void block(byte[] b, int off, int len) throws IOException {
    current().write(b, off, len);
    pieceLength += len;
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
    if (!ended() || midMember()) {
      throw new IOException("the tar stream ended before the end of its archive");
    }
    piece.close();
    piece = null;
  }
}
