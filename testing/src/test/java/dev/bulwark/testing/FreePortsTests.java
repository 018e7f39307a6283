package dev.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTests {

  @Test
  void portsComeFromBelowTheEphemeralRangeAndCanBeBound() throws IOException {
    int below = FreePorts.ephemeralStart();
    for (int i = 0; i < 50; i++) {
      int port = FreePorts.next();

      assertThat(port).isBetween(FreePorts.LOWEST, below - 1);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
