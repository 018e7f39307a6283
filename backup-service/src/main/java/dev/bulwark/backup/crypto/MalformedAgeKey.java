package dev.bulwark.backup.crypto;

/**
 * An age recipient or identity string that cannot be parsed; its message never repeats a secret.
 */
public final class MalformedAgeKey extends IllegalArgumentException {

  MalformedAgeKey(String message) {
    super(message);
  }
}
