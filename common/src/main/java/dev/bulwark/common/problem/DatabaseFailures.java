package dev.bulwark.common.problem;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;

/** Tells a database outage (retry later: 503) from a bug (500). */
public final class DatabaseFailures {

  private DatabaseFailures() {}

  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedConnectionException) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        // 08: connection exceptions; 57P01-57P03: shutdown, crash, cannot connect now; 25006:
        // read-only
        // (we reached a standby that is not yet promoted).
        if (state.startsWith("08") || state.startsWith("57P") || state.equals("25006")) {
          return true;
        }
      }
      String name = t.getClass().getName();
      // Vert.x reports pool timeouts and refused connections with message-only throwables.
      if (name.endsWith("NoStackTraceThrowable") || name.endsWith("NoStackTraceTimeoutException")) {
        String message = String.valueOf(t.getMessage()).toLowerCase();
        if (message.contains("timeout")
            || message.contains("connection")
            || message.contains("closed")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
