package dev.bulwark.failover.checks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/** A tcp member is up when a connection to {@code tcp://host:port} opens within the timeout. */
public final class TcpCheck implements MemberCheck {

  private final InetSocketAddress address;
  private final Duration timeout;

  public TcpCheck(URI url, Duration timeout) {
    this.address = InetSocketAddress.createUnresolved(url.getHost(), url.getPort());
    this.timeout = timeout;
  }

  @Override
  public CheckResult check() {
    long started = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(address.getHostString(), address.getPort()),
          (int) Math.max(1, timeout.toMillis()));
      return CheckResult.up(Duration.ofNanos(System.nanoTime() - started));
    } catch (IOException e) {
      return CheckResult.down(
          "connect failed: " + e.getMessage(), Duration.ofNanos(System.nanoTime() - started));
    }
  }
}
