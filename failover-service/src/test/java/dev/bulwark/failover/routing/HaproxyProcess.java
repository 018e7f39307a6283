package dev.bulwark.failover.routing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Debian's {@code haproxy} run in the foreground as a subprocess with {@code haproxy/primary.cfg}
 * rendered for one group; closed by its pid (SIGTERM, then SIGKILL), also when the JVM exits.
 */
final class HaproxyProcess implements AutoCloseable {

  private final Process process;
  private final Thread reaper;
  private final int port;
  private final Path log;

  private HaproxyProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.reaper = new Thread(this::stop, "haproxy-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts HAProxy routing a free loopback port to the primary among {@code members} (name →
   * PostgreSQL port), checked at failover-service's HTTP port.
   */
  static HaproxyProcess start(String group, Map<String, Integer> members, int failoverHttpPort)
      throws IOException {
    String binary =
        Stream.of("/usr/sbin/haproxy", "/usr/bin/haproxy")
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "haproxy is not installed: apt-get install -y haproxy"));
    int port = freePort();
    String servers =
        members.entrySet().stream()
            .map(
                m ->
                    "  server "
                        + m.getKey()
                        + " 127.0.0.1:"
                        + m.getValue()
                        + " check port "
                        + failoverHttpPort
                        + " addr 127.0.0.1")
            .collect(Collectors.joining("\n"));
    String template;
    try (var in = HaproxyProcess.class.getResourceAsStream("/haproxy/primary.cfg")) {
      template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Path dir = Files.createDirectories(Path.of("target", "haproxy"));
    Path config = dir.resolve(group + ".cfg");
    Files.writeString(
        config,
        template
            .replace("{{group}}", group)
            .replace("{{bind}}", "127.0.0.1:" + port)
            .replace("{{servers}}", servers));
    Path log = dir.resolve(group + ".log");
    // -db: stay in the foreground, so that the pid is HAProxy's own.
    Process process =
        new ProcessBuilder(binary, "-db", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new HaproxyProcess(process, port, log);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs stop() itself.
    }
  }

  private void stop() {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
