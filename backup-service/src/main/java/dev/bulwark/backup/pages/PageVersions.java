package dev.bulwark.backup.pages;

import java.util.List;
import java.util.Optional;

/** A page of a URL's fetches, newest first, and the cursor of the next one. */
public record PageVersions(List<Page> pages, Optional<String> nextCursor) {}
