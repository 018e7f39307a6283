package dev.bulwark.backup.pitr.wal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * The SQL the receiver runs on a target's primary: finding it among the configured hosts, its WAL
 * position, and the slot that makes it keep WAL until the receiver has it.
 */
final class PrimaryServer {

  private final ReceiverSettings settings;

  PrimaryServer(ReceiverSettings settings) {
    this.settings = settings;
  }

  /**
   * What one look at the primary saw; {@code receivedLsn} is what the receiver reported written
   * (pg_stat_replication's write_lsn: in its file, if not yet fsynced), {@code readAtNanos} when.
   */
  record Position(
      HostPort primary,
      int major,
      long segmentSize,
      long timeline,
      long currentLsn,
      Optional<Long> slotRetainedBytes,
      Optional<Long> slotRestartLsn,
      Optional<Long> receivedLsn,
      String synchronousStandbyNames,
      long readAtNanos,
      boolean fromFailoverService) {}

  /**
   * The primary and its position: the host failover-service named, when it named one that takes
   * writes; else the first configured host that takes writes (as {@code
   * target_session_attrs=read-write} would pick). failover-service's word goes first because an old
   * primary that was not fenced still takes writes, and the hosts list cannot tell it from the new.
   *
   * @throws SQLException from the last host tried when none is a reachable primary
   */
  Position locate(Optional<HostPort> named) throws SQLException {
    SQLException last = null;
    if (named.isPresent()) {
      try (Connection connection = connect(named.get())) {
        return position(named.get(), connection, true);
      } catch (SQLException e) {
        last = e;
      }
    }
    for (HostPort host : settings.hosts()) {
      try (Connection connection = connect(host)) {
        return position(host, connection, false);
      } catch (SQLException e) {
        last = e;
      }
    }
    throw last != null ? last : new SQLException("no hosts are configured");
  }

  /**
   * The host failover-service names the primary of the target's group; empty when the target names
   * no group or the group has no primary.
   *
   * @throws IllegalStateException when the named member has no configured host:port
   * @throws RuntimeException when failover-service does not answer
   */
  static Optional<HostPort> namedByFailoverService(
      ReceiverSettings settings, FailoverLookup failover) {
    if (settings.failoverGroup().isEmpty()) {
      return Optional.empty();
    }
    String group = settings.failoverGroup().get();
    Optional<String> member = failover.primaryMember(group);
    Optional<HostPort> host = member.map(settings.failoverMembers()::get);
    if (member.isPresent() && host.isEmpty()) {
      throw new IllegalStateException(
          "failover-service names "
              + member.get()
              + " the primary of group "
              + group
              + ", but bulwark.backup.pitr.targets."
              + settings.target()
              + ".failover-members has no host:port for it (members: "
              + settings.failoverMembers().keySet()
              + ")");
    }
    return host;
  }

  /** Creates the slot on {@code host} unless it exists, reserving WAL from now on. */
  void ensureSlot(HostPort host) throws SQLException {
    try (Connection connection = connect(host);
        PreparedStatement statement =
            connection.prepareStatement(
                """
                SELECT pg_create_physical_replication_slot(?, true)
                WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)
                """)) {
      statement.setString(1, settings.slotName());
      statement.setString(2, settings.slotName());
      statement.execute();
    }
  }

  /** Drops the slot on {@code host}; the receiver must have stopped (an active slot cannot go). */
  void dropSlot(HostPort host) throws SQLException {
    try (Connection connection = connect(host);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = ?")) {
      statement.setString(1, settings.slotName());
      statement.execute();
    }
  }

  private Position position(HostPort host, Connection connection, boolean fromFailoverService)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            """
            SELECT current_setting('server_version_num')::int / 10000,
                   (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'),
                   ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                   (SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint
                      FROM pg_replication_slots WHERE slot_name = ?),
                   (SELECT pg_wal_lsn_diff(restart_lsn, '0/0')::bigint
                      FROM pg_replication_slots WHERE slot_name = ?),
                   (SELECT pg_wal_lsn_diff(max(write_lsn), '0/0')::bigint
                      FROM pg_stat_replication WHERE application_name = ?),
                   current_setting('synchronous_standby_names')
            """)) {
      statement.setString(1, settings.slotName());
      statement.setString(2, settings.slotName());
      statement.setString(3, settings.applicationName());
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return new Position(
            host,
            row.getInt(1),
            row.getLong(2),
            row.getLong(3),
            row.getLong(4),
            optionalLong(row, 5),
            optionalLong(row, 6),
            optionalLong(row, 7),
            row.getString(8),
            System.nanoTime(),
            fromFailoverService);
      }
    }
  }

  private Connection connect(HostPort host) throws SQLException {
    Properties properties = new Properties();
    settings.username().ifPresent(u -> properties.setProperty("user", u));
    settings.password().ifPresent(p -> properties.setProperty("password", p));
    // Only a server that takes writes answers: a standby or a fenced old primary is passed over.
    properties.setProperty("targetServerType", "primary");
    properties.setProperty("connectTimeout", "3");
    properties.setProperty("socketTimeout", "10");
    properties.setProperty("ApplicationName", "bulwark-backup-pitr");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host.host() + ":" + host.port() + "/" + settings.database(),
        properties);
  }

  private static Optional<Long> optionalLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(value);
  }
}
