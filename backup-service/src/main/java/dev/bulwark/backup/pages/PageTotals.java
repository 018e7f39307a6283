package dev.bulwark.backup.pages;

/** What the archive holds of pages: distinct objects, their raw HTML and their stored bytes. */
public record PageTotals(long objects, long rawBytes, long storedBytes) {}
