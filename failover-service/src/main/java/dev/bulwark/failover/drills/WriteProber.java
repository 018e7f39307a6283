package dev.bulwark.failover.drills;

import dev.bulwark.failover.groups.Watched;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Inserts a sequence number into {@code bulwark_drill_probe} every 50 ms through whichever member
 * the engine currently names primary, and remembers each write: acknowledged (with the member that
 * acknowledged it) or failed.
 */
final class WriteProber implements AutoCloseable {

  static final String TABLE =
      """
      CREATE TABLE IF NOT EXISTS public.bulwark_drill_probe (
        drill bigint NOT NULL, seq bigint NOT NULL, acked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (drill, seq))""";

  /** One write: acknowledged by {@code member} at {@code at}, or failed. */
  record Write(long seq, Optional<String> member, Instant at, boolean acked) {}

  private final long drill;
  private final Supplier<Optional<String>> primary;
  private final DrillConnections connections;
  private final Clock clock;
  private final ScheduledExecutorService ticks;
  private final Watched<List<Write>> writes = new Watched<>(List.of());
  private Connection connection;
  private String connectedTo;
  private long seq;

  WriteProber(
      long drill,
      Supplier<Optional<String>> primary,
      DrillConnections connections,
      Clock clock,
      String thread) {
    this.drill = drill;
    this.primary = primary;
    this.connections = connections;
    this.clock = clock;
    this.ticks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, thread);
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    ticks.scheduleAtFixedRate(this::write, 0, 50, TimeUnit.MILLISECONDS);
  }

  List<Write> writes() {
    return writes.get();
  }

  /** Waits until {@code condition} holds on the writes so far, woken by every write. */
  void awaitWrites(String what, Duration bound, Predicate<List<Write>> condition)
      throws InterruptedException {
    writes.await(what, bound, condition);
  }

  private void write() {
    long next = ++seq;
    Optional<String> target = primary.get();
    try {
      if (target.isEmpty()) {
        throw new SQLException("no primary");
      }
      if (connection == null || !target.get().equals(connectedTo)) {
        closeConnection();
        connection = connections.open(target.get());
        connectedTo = target.get();
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO public.bulwark_drill_probe (drill, seq) VALUES (?, ?)")) {
        insert.setLong(1, drill);
        insert.setLong(2, next);
        insert.executeUpdate();
      }
      record(new Write(next, target, clock.instant(), true));
    } catch (SQLException | RuntimeException e) {
      closeConnection();
      record(new Write(next, target, clock.instant(), false));
    }
  }

  private void record(Write write) {
    writes.update(
        before -> {
          List<Write> after = new ArrayList<>(before.size() + 1);
          after.addAll(before);
          after.add(write);
          return List.copyOf(after);
        });
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // A broken connection fails to close; it is dropped either way.
      }
      connection = null;
      connectedTo = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    ticks.shutdown();
    if (!ticks.awaitTermination(10, TimeUnit.SECONDS)) {
      ticks.shutdownNow();
    }
    closeConnection();
  }
}
