package dev.bulwark.backup.mirror;

/**
 * Told how a running mirror advances: once the objects to copy are known, then after each object
 * copied or failed. Called on the run's thread; keep it quick.
 */
@FunctionalInterface
public interface MirrorProgress {

  MirrorProgress NONE = (objectsCopied, bytesCopied, objectsPending) -> {};

  void update(long objectsCopied, long bytesCopied, long objectsPending);
}
