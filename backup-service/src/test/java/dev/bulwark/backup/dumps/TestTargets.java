package dev.bulwark.backup.dumps;

import java.util.Map;
import java.util.Optional;

/** Backup targets of a test's cluster: database {@code postgres} as its superuser, on loopback. */
public final class TestTargets {

  private TestTargets() {}

  /** Target {@code name} at the cluster listening on {@code port}. */
  public static BackupTarget superuserAt(String name, int port) {
    return new BackupTarget(
        name, "127.0.0.1", port, "postgres", Optional.of("postgres"), Optional.empty());
  }

  /** The one target {@code name} at the cluster listening on {@code port}. */
  public static BackupTargets only(String name, int port) {
    return new BackupTargets(Map.of(name, superuserAt(name, port)));
  }
}
