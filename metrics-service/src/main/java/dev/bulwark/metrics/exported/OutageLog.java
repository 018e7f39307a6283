package dev.bulwark.metrics.exported;

import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Logs a source going down once and its return once, however often it is polled in between, so that
 * an outage is one line in the log and not one per refresh.
 */
@Singleton
public final class OutageLog {

  private static final Logger LOG = Logger.getLogger(OutageLog.class);

  private final Set<String> down = ConcurrentHashMap.newKeySet();

  /** Records a failure; returns true when this started an outage (and was logged). */
  public boolean failed(String source, Throwable failure) {
    boolean started = down.add(source);
    if (started) {
      LOG.warnf(
          "%s is unreachable, its metrics are stale until it returns: %s",
          source, describe(failure));
    }
    return started;
  }

  /** Records a success; returns true when this ended an outage (and was logged). */
  public boolean succeeded(String source) {
    boolean ended = down.remove(source);
    if (ended) {
      LOG.infof("%s is reachable again, its metrics are fresh", source);
    }
    return ended;
  }

  public boolean isDown(String source) {
    return down.contains(source);
  }

  // Class and message only: a stack trace per outage adds nothing, and messages of the SQL and
  // HTTP clients carry no credentials.
  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
