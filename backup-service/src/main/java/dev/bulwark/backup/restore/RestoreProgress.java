package dev.bulwark.backup.restore;

/**
 * Where a restore has got to, told to whoever runs it (a job's progress). Called from the restoring
 * threads, one call at a time: keep it quick.
 */
@FunctionalInterface
public interface RestoreProgress {

  /** Ignores every update. */
  RestoreProgress NONE = (bytesRead, bytesTotal, tablesDone, tablesTotal) -> {};

  /**
   * @param bytesRead bytes of the stored object read so far
   * @param bytesTotal the stored object's size from the manifest
   * @param tablesDone tables whose data pg_restore has finished loading
   * @param tablesTotal tables in the backup (the manifest's row counts)
   */
  void update(long bytesRead, long bytesTotal, int tablesDone, int tablesTotal);
}
