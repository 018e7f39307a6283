package dev.bulwark.common.logging;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Logs a failing source once when its outage starts and once when it ends, however often it fails
 * in between, so that an outage of any length is two lines in the log and not one per attempt.
 */
@Singleton
public final class OutageLog {

  private static final Logger LOG = Logger.getLogger(OutageLog.class);

  private record Outage(long startedNanos, AtomicLong failures) {}

  private final Map<String, Outage> down = new ConcurrentHashMap<>();

  /** Records a failure; returns true when this started an outage (and was logged). */
  public boolean failed(String source, Throwable failure) {
    Outage fresh = new Outage(System.nanoTime(), new AtomicLong(1));
    Outage current = down.putIfAbsent(source, fresh);
    if (current != null) {
      current.failures().incrementAndGet();
      return false;
    }
    LOG.warnf("%s is failing (logged once until it recovers): %s", source, describe(failure));
    return true;
  }

  /** Records a success; returns true when this ended an outage (and was logged). */
  public boolean succeeded(String source) {
    Outage ended = down.remove(source);
    if (ended == null) {
      return false;
    }
    Duration length = Duration.ofNanos(System.nanoTime() - ended.startedNanos());
    LOG.infof(
        "%s recovered after %d failures in %d s",
        source, ended.failures().get(), length.toSeconds());
    return true;
  }

  public boolean isDown(String source) {
    return down.containsKey(source);
  }

  // Class and message only: a stack trace per outage adds nothing, and messages of the SQL and
  // HTTP clients carry no credentials.
  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
