package dev.bulwark.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects the log records written in this JVM (the application under a {@code @QuarkusTest} logs
 * here too) from its creation until it is closed, at or above a level, with their messages
 * formatted.
 */
public final class LogLines implements AutoCloseable {

  private record Line(Level level, String logger, String message) {}

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final Handler handler;

  private LogLines(Level threshold) {
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= threshold.intValue()) {
              lines.add(new Line(record.getLevel(), record.getLoggerName(), formatted(record)));
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

  /** The records so far, as level, logger and message. */
  public List<String> messages() {
    return lines.stream().map(l -> l.level() + " " + l.logger() + ": " + l.message()).toList();
  }

  /** The messages so far of one logger, such as {@code dev.bulwark.common.logging.OutageLog}. */
  public List<String> of(String logger) {
    return lines.stream().filter(l -> l.logger().equals(logger)).map(Line::message).toList();
  }

  // The application logs printf-style through JBoss LogManager, whose records format themselves.
  private static String formatted(LogRecord record) {
    return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(handler);
  }
}
