package dev.bulwark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A real S3 API: S3Proxy with a filesystem blobstore, run as a subprocess from its {@code
 * jar-with-dependencies} so that its libraries stay off the caller's classpath.
 */
public final class S3Server implements AutoCloseable {

  public static final String ACCESS_KEY = "bulwark-test-access";
  public static final String SECRET_KEY = "bulwark-test-secret";

  private final Process process;
  private final int port;
  private final Path dir;

  private S3Server(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server on a free loopback port, storing blobs under {@code target/s3}. */
  public static S3Server start() {
    Path dir =
        Path.of("target", "s3", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    return start(dir, FreePorts.next());
  }

  /**
   * Kills the server at once (SIGKILL: storage lost mid-request), keeping its objects for {@link
   * #startAgain}.
   */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A server on the same port and objects as this stopped one: storage coming back. */
  public S3Server startAgain() {
    if (process.isAlive()) {
      throw new IllegalStateException("S3Proxy on port " + port + " is still running");
    }
    return start(dir, port);
  }

  private static S3Server start(Path dir, int port) {
    try {
      Files.createDirectories(dir.resolve("blobs"));
      Properties props = new Properties();
      props.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
      props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
      props.setProperty("s3proxy.identity", ACCESS_KEY);
      props.setProperty("s3proxy.credential", SECRET_KEY);
      // filesystem-nio2 lists keys as S3 does (the older "filesystem" shows directory markers).
      props.setProperty("jclouds.provider", "filesystem-nio2");
      // The blobstore itself wants credentials, though a local directory checks none.
      props.setProperty("jclouds.identity", "local");
      props.setProperty("jclouds.credential", "local");
      props.setProperty("jclouds.filesystem.basedir", dir.resolve("blobs").toString());
      Path config = dir.resolve("s3proxy.properties");
      try (var out = Files.newOutputStream(config)) {
        props.store(out, "bulwark-testing S3Proxy");
      }
      Process process =
          new ProcessBuilder(
                  List.of(
                      javaBinary(),
                      "-Xmx256m",
                      "-jar",
                      s3proxyJar().toString(),
                      "--properties",
                      config.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("s3proxy.log").toFile())
              .start();
      S3Server server = new S3Server(process, port, dir);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bulwark-s3-cleanup"));
      server.awaitListening(Duration.ofSeconds(60));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  /** S3Proxy accepts any region; clients still need one to sign requests. */
  public String region() {
    return "us-east-1";
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ClusterRegistry.deleteTree(dir);
  }

  private void awaitListening(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited at start; log:\n" + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while starting S3Proxy", e);
        }
      }
    }
    close();
    throw new IllegalStateException(
        "S3Proxy did not listen within " + timeout.toSeconds() + " s; log:\n" + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("s3proxy.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static Path s3proxyJar() {
    Properties props = new Properties();
    try (InputStream in = S3Server.class.getResourceAsStream("/bulwark-testing.properties")) {
      props.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(
          "bulwark-testing.properties is missing from the classpath", e);
    }
    Path jar = Path.of(props.getProperty("s3proxy.jar"));
    if (!Files.isReadable(jar)) {
      throw new IllegalStateException(
          "S3Proxy jar not found at " + jar + "; build the testing module with Maven to fetch it");
    }
    return jar;
  }
}
