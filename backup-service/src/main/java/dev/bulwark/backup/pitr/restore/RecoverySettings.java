package dev.bulwark.backup.pitr.restore;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The lines a restore appends to the data directory's {@code postgresql.auto.conf} (beside a {@code
 * recovery.signal}): WAL from the staging directory only, the target, and what to do there.
 */
final class RecoverySettings {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private RecoverySettings() {}

  /**
   * @param scratchPort the port of a scratch instance the service starts (which promotes at the
   *     target), or empty for a directory an operator starts (which pauses there, so that the
   *     operator checks before promoting with {@code SELECT pg_wal_replay_resume()})
   */
  static String of(RecoveryTarget point, Path staging, long timeline, OptionalInt scratchPort) {
    List<String> lines = new ArrayList<>();
    lines.add("# restore to a point by bulwark backup-service");
    // Every file recovery needs was fetched before it started: a plain copy, no JVM per segment.
    lines.add("restore_command = 'cp \"" + staging + "/%f\" \"%p\"'");
    lines.add("recovery_target_timeline = '" + timeline + "'");
    if (point instanceof RecoveryTarget.AtTime time) {
      lines.add("recovery_target_time = '" + TIME.format(time.time()) + "'");
      // Rows committed exactly at the asked time are not "before" it.
      lines.add("recovery_target_inclusive = off");
    } else if (point instanceof RecoveryTarget.AtLsn lsn) {
      lines.add("recovery_target_lsn = '" + lsn.lsn() + "'");
      lines.add("recovery_target_inclusive = on");
    }
    if (!(point instanceof RecoveryTarget.Latest)) {
      lines.add(
          "recovery_target_action = '" + (scratchPort.isPresent() ? "promote" : "pause") + "'");
    }
    // Never archive, stream from or sync to the source's peers.
    lines.add("archive_mode = off");
    lines.add("primary_conninfo = ''");
    lines.add("primary_slot_name = ''");
    lines.add("synchronous_standby_names = ''");
    lines.add("hot_standby = on");
    scratchPort.ifPresent(
        port -> {
          lines.add("port = " + port);
          lines.add("listen_addresses = '127.0.0.1'");
          // TCP only: socket paths are limited to 107 characters.
          lines.add("unix_socket_directories = ''");
        });
    return String.join("\n", lines) + "\n";
  }
}
