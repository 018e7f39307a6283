package dev.bulwark.metrics.email.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the webhook payloads under {@code src/test/resources/webhooks/}. */
public final class Fixtures {

  private Fixtures() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/webhooks/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture webhooks/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
