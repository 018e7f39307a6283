package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Point-in-time recovery under {@code bulwark.backup.pitr}: continuous WAL archiving (receiver,
 * spool, slot) first; base backups and restore have their block at the end. A PITR target is a
 * logical backup target ({@code bulwark.backup.targets.<name>}: url, username, password) with
 * {@code bulwark.backup.pitr.targets.<name>.enabled=true}.
 */
@ConfigMapping(prefix = "bulwark.backup.pitr")
public interface PitrConfig {

  /** The PITR settings per backup target, by the target's name. */
  Map<String, Target> targets();

  /**
   * Where pg_receivewal writes, one sub-directory per target; unset: {@code
   * ${java.io.tmpdir}/bulwark-pitr-spool}.
   */
  Optional<String> spoolDir();

  /** The growing {@code .partial} segment is uploaded this often (when it has grown). */
  @WithDefault("10s")
  Duration partialEvery();

  /**
   * Completed segments waiting for storage may take this many bytes per target; beyond it the
   * receiver stops and the replication slot holds the WAL on the server instead.
   */
  @WithDefault("1073741824")
  long spoolLimit();

  /**
   * WAL the slot retains on the server above this many bytes drops the slot (a gap, closed by the
   * next base backup) rather than filling the primary's disk.
   */
  @WithDefault("10737418240")
  long slotLimit();

  /** pg_receivewal's {@code --status-interval}: how often it reports its position. */
  @WithDefault("1s")
  Duration statusInterval();

  /** How often the spool directory is looked at for completed segments. */
  @WithDefault("250ms")
  Duration spoolPollEvery();

  /** How often the slot's retained WAL and the archive lag are read from the server. */
  @WithDefault("5s")
  Duration slotCheckEvery();

  /** Restart back-off of a receiver that died: from this, doubling ... */
  @WithDefault("1s")
  Duration restartBackoffMin();

  /** ... up to this ... */
  @WithDefault("60s")
  Duration restartBackoffMax();

  /** ... and back to the minimum once a receiver has run this long. */
  @WithDefault("60s")
  Duration healthyAfter();

  /** The PITR side of one backup target. */
  interface Target {
    /** Whether WAL of this target is archived continuously. */
    @WithDefault("false")
    boolean enabled();

    /**
     * {@code host:port} of every server that may be the primary, tried with {@code
     * target_session_attrs=read-write}; unset: the target's url.
     */
    Optional<List<String>> hosts();

    /**
     * pg_receivewal flushes at once and reports it ({@code --synchronous}); list the receiver's
     * application name {@code bulwark_<target>} in the server's {@code synchronous_standby_names}
     * for an RPO of zero.
     */
    @WithDefault("false")
    boolean synchronous();

    /**
     * The failover-service group whose primary this target's primary is: the receiver asks {@code
     * GET /api/v1/groups/{group}} which member is primary, and tries {@link #hosts()} only when
     * failover-service does not answer. Unset: the hosts only.
     */
    Optional<String> failoverGroup();

    /**
     * {@code host:port} of each member of {@link #failoverGroup()} by its name at failover-service
     * (which names members, not their addresses); required with a group.
     */
    Map<String, String> failoverMembers();
  }

  /**
   * failover-service, asked for a target's primary ({@code
   * quarkus.rest-client.failover-service.url}).
   */
  Failover failover();

  /** How the receiver asks failover-service. */
  interface Failover {
    /** Bearer token with role viewer at failover-service; from a Secret in Kubernetes. */
    Optional<String> token();

    /** One call's bound: the receiver's loop waits on it. */
    @WithDefault("2s")
    Duration timeout();

    /** Retries after a failed call, with exponential backoff from {@link #backoff()}. */
    @WithDefault("1")
    int retries();

    @WithDefault("200ms")
    Duration backoff();
  }

  // ---- Base backups, retention and restore to a point (engineer B) ----
  // bulwark.backup.pitr.base-schedule (default 0 0 1 * * ?) and .verify-schedule (default
  // 0 0 4 * * ?) are Quartz crons in UTC, read by BaseBackupSchedule and
  // RestoreVerificationSchedule.

  /** Base backups and restores: retention window, scratch directory. */
  @WithParentName
  Recovery recovery();

  /** The base backup and restore keys, at the top of {@code bulwark.backup.pitr}. */
  interface Recovery {
    /**
     * Every second of this window stays restorable: older base backups are deleted except the
     * newest one started before the window, and WAL older than the oldest kept base backup.
     */
    @WithDefault("7d")
    Duration window();

    /** How often retention runs (one replica at a time). */
    @WithDefault("1h")
    Duration retentionEvery();

    /**
     * Where restores put their data directories and WAL staging; unset: {@code
     * ${java.io.tmpdir}/bulwark-pitr-scratch}.
     */
    Optional<String> scratchDir();

    /** A scratch instance's recovery must end within this. */
    @WithDefault("1h")
    Duration recoveryTimeout();
  }
}
