package dev.bulwark.backup.pitr.wal;

import dev.bulwark.backup.config.PitrConfig;
import dev.bulwark.backup.dumps.BackupTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How one target's WAL is received: where its primary may be (a failover-service group and its
 * members' addresses, and the hosts tried when failover-service does not answer), who connects (the
 * password stays in this record and the child's environment), the spool, the limits and the
 * timings.
 */
public record ReceiverSettings(
    String target,
    List<HostPort> hosts,
    String database,
    Optional<String> username,
    Optional<String> password,
    Path spoolDir,
    boolean synchronous,
    Duration statusInterval,
    Duration partialEvery,
    long spoolLimit,
    long slotLimit,
    Duration pollEvery,
    Duration checkEvery,
    Duration backoffMin,
    Duration backoffMax,
    Duration healthyAfter,
    Optional<String> failoverGroup,
    Map<String, HostPort> failoverMembers) {

  public ReceiverSettings {
    failoverMembers = Map.copyOf(failoverMembers);
  }

  /**
   * The settings of {@code target} from the service's configuration.
   *
   * @throws IllegalArgumentException naming the setting that is malformed or missing
   */
  public static ReceiverSettings of(BackupTarget target, PitrConfig config, Path spoolRoot) {
    PitrConfig.Target pitr = config.targets().get(target.name());
    String prefix = "bulwark.backup.pitr.targets." + target.name() + ".";
    String setting = prefix + "hosts";
    Optional<String> group = pitr.failoverGroup().filter(g -> !g.isBlank());
    Map<String, HostPort> members = new TreeMap<>();
    pitr.failoverMembers()
        .forEach(
            (member, host) ->
                members.put(member, HostPort.parse(prefix + "failover-members." + member, host)));
    if (group.isPresent() && members.isEmpty()) {
      throw new IllegalArgumentException(
          prefix
              + "failover-group="
              + group.get()
              + " needs "
              + prefix
              + "failover-members.<member>=host:port for each member of the group, since"
              + " failover-service names the primary by its member name");
    }
    List<HostPort> hosts =
        pitr.hosts()
            .filter(list -> !list.isEmpty())
            .map(list -> list.stream().map(h -> HostPort.parse(setting, h)).toList())
            .orElse(List.of(new HostPort(target.host(), target.port())));
    return new ReceiverSettings(
        target.name(),
        hosts,
        target.database(),
        target.username(),
        target.password(),
        spoolRoot.resolve(target.name()),
        pitr.synchronous(),
        config.statusInterval(),
        config.partialEvery(),
        config.spoolLimit(),
        config.slotLimit(),
        config.spoolPollEvery(),
        config.slotCheckEvery(),
        config.restartBackoffMin(),
        config.restartBackoffMax(),
        config.healthyAfter(),
        group,
        members);
  }

  /**
   * The physical replication slot, {@code bulwark_<target>}: slot names allow only lower-case
   * letters, digits and {@code _}.
   */
  public String slotName() {
    String name = "bulwark_" + target.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  /**
   * The receiver's {@code application_name}, the name to list in the server's {@code
   * synchronous_standby_names} for synchronous mode; the same as the slot's.
   */
  public String applicationName() {
    return slotName();
  }

  @Override
  public String toString() {
    return "ReceiverSettings["
        + target
        + " "
        + failoverGroup.map(g -> "failover-group=" + g + " " + failoverMembers + " ").orElse("")
        + hosts
        + " spool="
        + spoolDir
        + "]";
  }
}
