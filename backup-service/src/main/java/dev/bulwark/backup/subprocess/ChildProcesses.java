package dev.bulwark.backup.subprocess;

import java.io.IOException;
import java.util.Optional;

/**
 * Starting and waiting for the PostgreSQL tools the service runs as child processes (pg_dump,
 * pg_basebackup), shared by logical dumps and PITR, which do not import each other's code for it.
 */
public final class ChildProcesses {

  private ChildProcesses() {}

  /**
   * {@code builder} with {@code password} as the child's {@code PGPASSWORD} and nothing inherited
   * under that name: the password goes to the child's environment only, never to its command line.
   */
  public static ProcessBuilder withPassword(ProcessBuilder builder, Optional<String> password) {
    builder.environment().remove("PGPASSWORD");
    password.ifPresent(p -> builder.environment().put("PGPASSWORD", p));
    return builder;
  }

  /**
   * The exit status of {@code process}; an interrupt stops the child rather than leaving it behind.
   *
   * @param tool the tool's name, for the message
   * @throws IOException when interrupted while waiting
   */
  public static int waitFor(Process process, String tool) throws IOException {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      throw new IOException("interrupted while waiting for " + tool, e);
    }
  }
}
