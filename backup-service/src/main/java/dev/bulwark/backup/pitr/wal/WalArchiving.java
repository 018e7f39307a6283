package dev.bulwark.backup.pitr.wal;

import dev.bulwark.backup.config.PitrConfig;
import dev.bulwark.backup.dumps.BackupTarget;
import dev.bulwark.backup.dumps.BackupTargets;
import dev.bulwark.backup.dumps.PgDumpBinary;
import dev.bulwark.backup.exported.PitrWalMetrics;
import dev.bulwark.backup.pitr.WalArchive;
import dev.bulwark.common.logging.OutageLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Continuous WAL archiving of every target with {@code bulwark.backup.pitr.targets.<name>.enabled}:
 * on the one replica that holds the receiver lock ({@link ReceiverLeadership}), one {@link
 * WalReceiver} per target; on the others, none, until the lock is free.
 */
@ApplicationScoped
public class WalArchiving {

  private static final Logger LOG = Logger.getLogger(WalArchiving.class);
  private static final long LEADERSHIP_CHECK_MILLIS = 2000;

  private final List<ReceiverSettings> targets;
  private final WalArchive archive;
  private final PgDumpBinary binaries;
  private final BaseBackupRequester baseBackups;
  private final FailoverLookup failover;
  private final OutageLog outages;
  private final Clock clock;
  private final Map<String, PitrWalMetrics> metrics = new TreeMap<>();
  private final Optional<ReceiverLeadership> leadership;
  private final List<WalReceiver> running = new ArrayList<>();
  private volatile boolean stopping;
  private Optional<Thread> leader = Optional.empty();

  @Inject
  public WalArchiving(
      PitrConfig config,
      BackupTargets backupTargets,
      WalArchive archive,
      PgDumpBinary binaries,
      BaseBackupRequester baseBackups,
      FailoverPrimaries failover,
      OutageLog outages,
      MeterRegistry registry,
      Clock clock,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> storeUrl,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> storeUser,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> storePassword) {
    this.archive = archive;
    this.binaries = binaries;
    this.baseBackups = baseBackups;
    this.failover = failover;
    this.outages = outages;
    this.clock = clock;
    Path spoolRoot =
        config
            .spoolDir()
            .filter(s -> !s.isBlank())
            .map(Path::of)
            .orElse(Path.of(System.getProperty("java.io.tmpdir"), "bulwark-pitr-spool"));
    List<ReceiverSettings> enabled = new ArrayList<>();
    config.targets().entrySet().stream()
        .filter(e -> e.getValue().enabled())
        .forEach(
            e ->
                enabled.add(
                    ReceiverSettings.of(target(backupTargets, e.getKey()), config, spoolRoot)));
    this.targets = List.copyOf(enabled);
    targets.forEach(
        t -> metrics.put(t.target(), PitrWalMetrics.register(registry, t.target(), t.slotLimit())));
    this.leadership =
        targets.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new ReceiverLeadership(
                    storeUrl.orElseThrow(
                        () ->
                            new IllegalStateException(
                                "PITR WAL archiving needs quarkus.datasource.jdbc.url (Bulwark's"
                                    + " store) for the lock that keeps it on one replica")),
                    storeUser,
                    storePassword));
  }

  void onStart(@Observes StartupEvent event) {
    if (targets.isEmpty()) {
      return;
    }
    Thread thread = new Thread(this::lead, "pitr-wal-leadership");
    thread.setDaemon(true);
    leader = Optional.of(thread);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
    leader.ifPresent(Thread::interrupt);
    leader.ifPresent(
        t -> {
          try {
            t.join(30_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    stopReceivers();
    leadership.ifPresent(ReceiverLeadership::close);
  }

  /**
   * The server a base backup of {@code target} reads from: the primary this replica's receiver
   * streams from, else the primary found as the receiver finds it (failover-service's word, then
   * the first configured host that takes writes). Empty when the target's WAL is not archived, or
   * no primary is found: its URL is used then, and pg_basebackup says what fails. After a failover
   * the URL may name the old primary, dead or fenced: a base backup from it would fail, or miss the
   * new timeline that the WAL archive follows.
   */
  public Optional<HostPort> primaryOf(String target) {
    Optional<HostPort> streaming =
        receivers().stream()
            .filter(r -> r.settings().target().equals(target))
            .findFirst()
            .flatMap(WalReceiver::streamingFrom);
    if (streaming.isPresent()) {
      return streaming;
    }
    return targets.stream()
        .filter(t -> t.target().equals(target))
        .findFirst()
        .flatMap(this::locatePrimary);
  }

  private Optional<HostPort> locatePrimary(ReceiverSettings settings) {
    Optional<HostPort> named;
    try {
      named = PrimaryServer.namedByFailoverService(settings, failover);
    } catch (RuntimeException e) {
      named = Optional.empty(); // the hosts list, as the receiver does
    }
    try {
      return Optional.of(new PrimaryServer(settings).locate(named).primary());
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  /** The receivers running on this replica (none unless it leads). */
  public synchronized List<WalReceiver> receivers() {
    return List.copyOf(running);
  }

  private void lead() {
    while (!stopping) {
      boolean leads = leadership.map(ReceiverLeadership::holds).orElse(false);
      if (leads && running.isEmpty()) {
        LOG.infof(
            "this replica archives WAL of %s",
            targets.stream().map(ReceiverSettings::target).toList());
        startReceivers();
      } else if (!leads && !running.isEmpty()) {
        LOG.warn(
            "this replica lost the WAL receiver lock (Bulwark's store unreachable): stopping its receivers");
        stopReceivers();
      }
      try {
        Thread.sleep(LEADERSHIP_CHECK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void startReceivers() {
    for (ReceiverSettings settings : targets) {
      running.add(
          new WalReceiver(
                  settings,
                  archive,
                  binaries,
                  metrics.get(settings.target()),
                  baseBackups,
                  failover,
                  outages,
                  clock)
              .start());
    }
  }

  private synchronized void stopReceivers() {
    running.forEach(WalReceiver::close);
    running.clear();
  }

  private static BackupTarget target(BackupTargets targets, String name) {
    if (!targets.names().contains(name)) {
      throw new IllegalStateException(
          "bulwark.backup.pitr.targets."
              + name
              + " names no backup target: add bulwark.backup.targets."
              + name
              + ".url (and username, password) beside it");
    }
    return targets.named(name);
  }
}
