package dev.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another Bulwark service, run from its built jar ({@code <module>/target/quarkus-app}) as a
 * subprocess with the configuration a test gives it, so that a service is tested against the real
 * peer it calls. It binds port 0 for HTTP and management and reads the ports back from its log, is
 * ready once {@code /q/health/ready} answers 200, logs to {@code target/services/<name>-<id>.log}
 * and is stopped by its pid on {@link #close()} or when the JVM exits (and at the next start, if
 * that JVM was killed).
 */
public final class ServiceProcess implements AutoCloseable {

  private static final Pattern HTTP_PORT =
      Pattern.compile("Listening on: https?://[^\\s,]+:(\\d+)");
  private static final Pattern MANAGEMENT_PORT =
      Pattern.compile("Management interface listening on https?://[^\\s,]+:(\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Launched launched;
  private final int httpPort;
  private final int managementPort;

  private ServiceProcess(String name, Launched launched, int httpPort, int managementPort) {
    this.name = name;
    this.launched = launched;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
  }

  /** Configures a run of {@code module}'s jar, found beside the module the test runs in. */
  public static Builder of(String module) {
    return new Builder(module);
  }

  /** {@code http://127.0.0.1:<port>}: where its API answers. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** {@code http://127.0.0.1:<port>/q}: health and metrics on the management interface. */
  public URI managementUri() {
    return URI.create("http://127.0.0.1:" + managementPort + "/q");
  }

  public long pid() {
    return launched.pid();
  }

  public boolean isRunning() {
    return launched.isRunning();
  }

  /** Everything the service wrote to stdout and stderr so far. */
  public String log() {
    return launched.log();
  }

  public Path logFile() {
    return launched.logFile();
  }

  /** Stops the service by its pid: SIGTERM, then SIGKILL if it has not exited within 10 s. */
  @Override
  public void close() {
    launched.close();
  }

  /**
   * Starts a service's {@code command} the caller's own way (an image's entrypoint, say) and does
   * not wait for it: in {@code directory}, with exactly {@code environment} (nothing inherited),
   * its output to {@code log}. Stopped by its pid like every service here: on {@link
   * Launched#close()}, when the JVM exits, and at the next start if this JVM was killed. Whether
   * and when it is ready is the caller's to check (on its probes).
   */
  public static Launched launch(
      String name,
      List<String> command,
      Path directory,
      Map<String, String> environment,
      Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    return spawn(name, builder, log);
  }

  /** Starts the process, owned by this JVM, its output in {@code log}. */
  private static Launched spawn(String name, ProcessBuilder builder, Path log) {
    Process process;
    try {
      Files.createDirectories(log.getParent());
      reapOrphans(log.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + builder.command(), e);
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(process), "bulwark-" + name + "-cleanup"));
    recordOwner(log, process);
    return new Launched(name, process, log);
  }

  /** A service's process, started by {@link #launch} or under a {@link ServiceProcess}. */
  public static final class Launched implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private Launched(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    public long pid() {
      return process.pid();
    }

    public boolean isRunning() {
      return process.isAlive();
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String log() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + log, e);
      }
    }

    public Path logFile() {
      return log;
    }

    /** Stops it by its pid: SIGTERM (as the kubelet sends), then SIGKILL after 10 s. */
    @Override
    public void close() {
      stop(process);
      try {
        Files.deleteIfExists(ownerFile(log));
      } catch (IOException e) {
        System.err.println("bulwark-testing: cannot delete " + ownerFile(log) + ": " + e);
      }
    }

    @Override
    public String toString() {
      return name + " (pid " + process.pid() + ", log " + log + ")";
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ", " + uri() + ")";
  }

  /** What to run and with which configuration. */
  public static final class Builder {

    private final String module;
    private final Map<String, String> config = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();

    private Builder(String module) {
      this.module = module;
      // Loopback only, on ports the service picks itself: nothing to collide with.
      config.put("quarkus.http.host", "127.0.0.1");
      config.put("quarkus.http.port", "0");
      config.put("quarkus.management.host", "127.0.0.1");
      config.put("quarkus.management.port", "0");
    }

    /** A configuration property, passed as a system property (never a secret: {@code ps}). */
    public Builder config(String key, String value) {
      config.put(key, value);
      return this;
    }

    public Builder config(Map<String, String> properties) {
      config.putAll(properties);
      return this;
    }

    /** An environment variable of the service. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Starts the service and waits until it is ready; fails with its log when it is not. */
    public ServiceProcess start() {
      Path jar = jarOf(module);
      Path dir = Path.of("target", "services").toAbsolutePath();
      Path log = dir.resolve(module + "-" + UUID.randomUUID().toString().substring(0, 8) + ".log");
      List<String> command = new ArrayList<>();
      command.add(javaBinary());
      // A small, quickly started JVM: the service is a peer of the test, not under load.
      command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      config.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.addAll(List.of("-jar", jar.toString()));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(jar.getParent().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Launched launched = spawn(module, builder, log);
      try {
        return awaitReady(launched.process, log, launched);
      } catch (RuntimeException e) {
        launched.process.destroyForcibly();
        throw e;
      }
    }

    private ServiceProcess awaitReady(Process process, Path log, Launched launched) {
      Instant deadline = Instant.now().plus(START_TIMEOUT);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              module + " exited at start (" + process.exitValue() + "); log:\n" + read(log));
        }
        String output = read(log);
        OptionalInt http = port(HTTP_PORT, output);
        OptionalInt management = port(MANAGEMENT_PORT, output);
        if (http.isPresent() && management.isPresent() && ready(client, management.getAsInt())) {
          return new ServiceProcess(module, launched, http.getAsInt(), management.getAsInt());
        }
        pause();
      }
      throw new IllegalStateException(
          module
              + " was not ready within "
              + START_TIMEOUT.toSeconds()
              + " s (GET /q/health/ready); log:\n"
              + read(log));
    }

    private static boolean ready(HttpClient client, int managementPort) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
              .timeout(Duration.ofSeconds(2))
              .build();
      try {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for readiness", e);
      }
    }

    private static OptionalInt port(Pattern pattern, String output) {
      Matcher matcher = pattern.matcher(output);
      return matcher.find()
          ? OptionalInt.of(Integer.parseInt(matcher.group(1)))
          : OptionalInt.empty();
    }

    private static void pause() {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting a service", e);
      }
    }

    private static String read(Path log) {
      try {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e.getMessage() + ")";
      }
    }
  }

  /** Notes which JVM owns the service, so that the next run can stop it if that JVM was killed. */
  private static void recordOwner(Path log, Process process) {
    try {
      Files.writeString(ownerFile(log), ProcessHandle.current().pid() + " " + process.pid() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + ownerFile(log), e);
    }
  }

  /**
   * Stops services whose test JVM died without its shutdown hook (SIGKILL): their owner file names
   * a dead owner and a live service. Only a process running a Quarkus jar is stopped, in case the
   * pid was reused.
   */
  private static void reapOrphans(Path dir) throws IOException {
    try (var owners = Files.list(dir)) {
      for (Path file : owners.filter(f -> f.toString().endsWith(".owner")).toList()) {
        String[] pids = Files.readString(file).trim().split(" ");
        boolean ownerAlive =
            ProcessHandle.of(Long.parseLong(pids[0])).map(ProcessHandle::isAlive).orElse(false);
        if (!ownerAlive) {
          ProcessHandle.of(Long.parseLong(pids[1]))
              .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
              .ifPresent(
                  orphan -> {
                    System.err.println(
                        "bulwark-testing: stopping orphaned service " + orphan.pid());
                    orphan.destroyForcibly();
                  });
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static Path ownerFile(Path log) {
    return log.resolveSibling(log.getFileName().toString().replace(".log", ".owner"));
  }

  /**
   * {@code <module>/target/quarkus-app/quarkus-run.jar} in the repository the test runs in. The
   * reactor builds the modules in the root POM's order, so a peer listed earlier is packaged first.
   */
  static Path jarOf(String module) {
    Path root = repositoryRoot(module);
    Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isReadable(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: build "
              + module
              + " first (./mvnw -pl "
              + module
              + " -am package -DskipTests, or the whole reactor: ./mvnw verify)");
    }
    return jar;
  }

  private static Path repositoryRoot(String module) {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve(module).resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no module " + module + " above " + dir);
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
