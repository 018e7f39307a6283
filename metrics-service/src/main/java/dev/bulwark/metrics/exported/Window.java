package dev.bulwark.metrics.exported;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A trailing window a figure is computed over, and its label value. */
public record Window(String label, Duration length) {

  public static final Window HOUR = new Window("1h", Duration.ofHours(1));
  public static final Window DAY = new Window("24h", Duration.ofHours(24));
  public static final Window WEEK = new Window("7d", Duration.ofDays(7));

  /** Every window the service computes, shortest first. */
  public static final List<Window> ALL = List.of(HOUR, DAY, WEEK);

  /** The window with this label, such as {@code 24h}. */
  public static Optional<Window> named(String label) {
    return ALL.stream().filter(w -> w.label.equals(label)).findFirst();
  }

  static List<Duration> lengths(List<Window> windows) {
    return windows.stream().map(Window::length).toList();
  }
}
