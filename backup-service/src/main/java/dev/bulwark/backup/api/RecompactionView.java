package dev.bulwark.backup.api;

/** How many page objects one recompaction batch rewrote (0: none was due). */
public record RecompactionView(int recompacted) {}
