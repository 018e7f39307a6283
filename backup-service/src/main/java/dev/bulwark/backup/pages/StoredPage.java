package dev.bulwark.backup.pages;

/** A page as archived; {@code deduplicated} when its content was already stored. */
public record StoredPage(Page page, boolean deduplicated) {}
