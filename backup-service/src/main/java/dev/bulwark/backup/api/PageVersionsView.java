package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.PageVersions;
import java.util.List;
import java.util.Optional;

/** A page of a URL's fetches, newest first; {@code nextCursor} fetches the next page. */
public record PageVersionsView(List<PageView> pages, Optional<String> nextCursor) {

  static PageVersionsView of(PageVersions versions) {
    return new PageVersionsView(
        versions.pages().stream().map(PageView::of).toList(), versions.nextCursor());
  }
}
