package dev.bulwark.common.problem;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The one place that reads database failures: an outage (retry later: 503) from a bug (500), the
 * SQLSTATE of a server error, and the failures a transaction may simply run again.
 */
public final class DatabaseFailures {

  /** serialization_failure and deadlock_detected: the transaction can run again as it is. */
  private static final String SERIALIZATION_FAILURE = "40001";

  private static final String DEADLOCK_DETECTED = "40P01";

  private DatabaseFailures() {}

  /**
   * Whether {@code failure} says the database cannot be reached or cannot serve now, in any of the
   * ways the driver reports it: refused or reset connections, a connection closed mid-request, a
   * pool or connect timeout, a name that does not resolve, or a server that is shutting down,
   * starting, out of connections or read-only (a standby not yet promoted).
   */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t : chain(failure)) {
      if (t instanceof ConnectException
          || t instanceof ClosedConnectionException
          || t instanceof UnknownHostException
          || t instanceof TimeoutException
          || isLostConnection(t)) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        // 08: connection exceptions; 53: insufficient resources (too many connections);
        // 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 25006: read-only.
        if (state.startsWith("08")
            || state.startsWith("53")
            || state.startsWith("57P")
            || state.equals("25006")) {
          return true;
        }
      }
      String name = t.getClass().getName();
      // Vert.x and Netty report pool timeouts, closed connections and connect timeouts with
      // message-only throwables of their own.
      if (name.endsWith("NoStackTraceThrowable")
          || name.endsWith("NoStackTraceTimeoutException")
          || name.endsWith("VertxException")
          || name.endsWith("ConnectTimeoutException")) {
        String message = String.valueOf(t.getMessage()).toLowerCase();
        if (message.contains("timeout")
            || message.contains("timed out")
            || message.contains("connection")
            || message.contains("closed")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Connection reset, broken pipe, closed channel: the server went away mid-request. */
  private static boolean isLostConnection(Throwable t) {
    if (t instanceof SocketException || t instanceof ClosedChannelException) {
      return true;
    }
    // Netty's native transport reports a reset as a plain IOException ("Connection reset by peer").
    String message = String.valueOf(t.getMessage()).toLowerCase();
    return t instanceof IOException
        && (message.contains("connection reset") || message.contains("broken pipe"));
  }

  /** The SQLSTATE of the first server error in the failure's causes. */
  public static Optional<String> sqlState(Throwable failure) {
    for (Throwable t : chain(failure)) {
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        return Optional.of(pg.getSqlState());
      }
    }
    return Optional.empty();
  }

  /** Whether the server refused with {@code sqlState} (such as one a function raises). */
  public static boolean hasSqlState(Throwable failure, String sqlState) {
    return sqlState(failure).filter(sqlState::equals).isPresent();
  }

  /** A serialization failure or a deadlock: running the same transaction again is safe. */
  public static boolean isRetryable(Throwable failure) {
    return hasSqlState(failure, SERIALIZATION_FAILURE) || hasSqlState(failure, DEADLOCK_DETECTED);
  }

  /** The failure and its causes, including each cause of a Mutiny {@code CompositeException}. */
  private static Iterable<Throwable> chain(Throwable failure) {
    java.util.List<Throwable> all = new java.util.ArrayList<>();
    java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>();
    if (failure != null) {
      todo.add(failure);
    }
    while (!todo.isEmpty() && all.size() < 64) {
      Throwable t = todo.poll();
      if (all.stream().anyMatch(seen -> seen == t)) {
        continue;
      }
      all.add(t);
      if (t instanceof io.smallrye.mutiny.CompositeException composite) {
        todo.addAll(composite.getCauses());
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
    }
    return all;
  }
}
