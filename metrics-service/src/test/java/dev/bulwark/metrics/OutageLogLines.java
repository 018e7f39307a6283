package dev.bulwark.metrics;

import dev.bulwark.common.logging.OutageLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Captures what {@link OutageLog} writes while open, so that a test can count the lines an outage
 * costs; the application logs through JBoss LogManager, which serves {@code java.util.logging}.
 */
public final class OutageLogLines extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger(OutageLog.class.getName());
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private OutageLogLines() {
    logger.addHandler(this);
  }

  public static OutageLogLines capture() {
    return new OutageLogLines();
  }

  /** The captured lines that name {@code source} and contain {@code text}. */
  public List<String> about(String source, String text) {
    return lines.stream()
        .filter(line -> line.startsWith(source + " ") && line.contains(text))
        .toList();
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
