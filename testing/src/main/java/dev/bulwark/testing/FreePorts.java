package dev.bulwark.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds loopback ports that nothing listens on, for servers that must be told their port
 * (PostgreSQL, S3Proxy). Ports come from below the kernel's ephemeral range: a port the kernel
 * hands to outgoing connections could be taken between this probe and the server's bind. Where a
 * server can bind port 0 itself and report it, prefer that.
 */
public final class FreePorts {

  static final int LOWEST = 20000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private FreePorts() {}

  /** A port free at the time of asking, below the ephemeral range; callers retry on a race. */
  public static int next() {
    int below = ephemeralStart();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port between " + LOWEST + " and " + below);
  }

  /** The first port of the kernel's ephemeral range (32768 where it cannot be read). */
  static int ephemeralStart() {
    try {
      int start = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
      return start > LOWEST + 1000 ? start : 32768;
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
