package dev.bulwark.backup.pitr.wal;

import dev.bulwark.backup.subprocess.ChildProcesses;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One running {@code pg_receivewal} of a target: streams from the primary through the target's slot
 * into the spool directory. Its stderr is tailed into the service's log at warn (it writes there
 * only when something is wrong, as it runs without {@code --verbose}); the password reaches it
 * through its environment only.
 */
final class PgReceiveWal implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PgReceiveWal.class);
  private static final int KEPT_LINES = 20;

  private final Process process;
  private final Thread tail;
  private final Deque<String> lastLines = new ArrayDeque<>();

  private PgReceiveWal(Process process, String target) {
    this.process = process;
    this.tail = new Thread(() -> tail(target), "pg_receivewal-" + target + "-stderr");
    tail.setDaemon(true);
    tail.start();
  }

  /** The command line; it never holds the password. */
  static List<String> command(Path binary, ReceiverSettings settings, HostPort primary) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--directory=" + settings.spoolDir());
    command.add("--slot=" + settings.slotName());
    command.add("--status-interval=" + Math.max(1, settings.statusInterval().toSeconds()));
    command.add("--no-password");
    // It exits when the connection ends: WalReceiver is the one loop that restarts it, with
    // back-off, on whichever server is the primary by then (its own loop would retry the old one).
    command.add("--no-loop");
    // A connection string, so that the receiver shows as application_name bulwark_<target>.
    String connection =
        "host="
            + primary.host()
            + " port="
            + primary.port()
            + " application_name="
            + settings.applicationName()
            + settings.username().map(u -> " user=" + quote(u)).orElse("");
    command.add("--dbname=" + connection);
    if (settings.synchronous()) {
      command.add("--synchronous");
    }
    return command;
  }

  static PgReceiveWal start(Path binary, ReceiverSettings settings, HostPort primary)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command(binary, settings, primary))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    ChildProcesses.withPassword(builder, settings.password());
    return new PgReceiveWal(builder.start(), settings.target());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The exit status; only once it is no longer alive. */
  int exitValue() {
    return process.exitValue();
  }

  /** What it last wrote to stderr, for messages and for telling why it stopped. */
  synchronized String lastErrors() {
    return String.join("\n", lastLines);
  }

  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      tail.join(2000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void tail(String target) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        LOG.warnf("pg_receivewal of target %s: %s", target, line);
        synchronized (this) {
          lastLines.addLast(line);
          if (lastLines.size() > KEPT_LINES) {
            lastLines.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process ended and took its pipe with it
    }
  }

  private static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
