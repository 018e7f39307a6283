package dev.bulwark.backup.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an object's content, of any length, to the stream storage hands it. Returning normally
 * publishes the object; throwing discards everything written.
 */
@FunctionalInterface
public interface ObjectBody {

  void writeTo(OutputStream out) throws IOException;
}
