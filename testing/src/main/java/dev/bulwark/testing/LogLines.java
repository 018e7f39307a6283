package dev.bulwark.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the log records written in this JVM (the application under a {@code @QuarkusTest} logs
 * here too) from its creation until it is closed, at or above a level.
 */
public final class LogLines implements AutoCloseable {

  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Handler handler;

  private LogLines(Level threshold) {
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= threshold.intValue()) {
              messages.add(
                  record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger.getLogger("").addHandler(handler);
  }

  public static LogLines atLeast(Level threshold) {
    return new LogLines(threshold);
  }

  /** The records so far, as level, logger and unformatted message. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(handler);
  }
}
