package dev.bulwark.backup.restore;

/**
 * Collects a restore's progress from its two threads (the copy of the stored object, the reader of
 * pg_restore's stderr) and tells the {@link RestoreProgress} of it, at most once per MiB read.
 */
final class ProgressTracker {

  private static final long STEP = 1 << 20;

  private final RestoreProgress progress;
  private final long bytesTotal;
  private final int tablesTotal;
  private long bytesRead;
  private long bytesReported = -1;
  private int tablesStarted;
  private int tablesDone;

  ProgressTracker(RestoreProgress progress, long bytesTotal, int tablesTotal) {
    this.progress = progress;
    this.bytesTotal = bytesTotal;
    this.tablesTotal = tablesTotal;
  }

  synchronized void bytesRead(long count) {
    bytesRead = count;
    if (bytesReported < 0 || count - bytesReported >= STEP || count == bytesTotal) {
      report();
    }
  }

  /** pg_restore began loading a table's data, so the one before it is done. */
  synchronized void tableStarted() {
    tablesStarted++;
    tablesDone = tablesStarted - 1;
    report();
  }

  /** pg_restore exited 0: the last table it began is done too. */
  synchronized void finished() {
    tablesDone = tablesStarted;
    report();
  }

  synchronized int tablesDone() {
    return tablesDone;
  }

  private void report() {
    bytesReported = bytesRead;
    progress.update(bytesRead, bytesTotal, tablesDone, tablesTotal);
  }
}
