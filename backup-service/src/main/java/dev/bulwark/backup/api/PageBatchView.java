package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.StoredPage;
import java.util.List;

/**
 * The answer to a batch of pages: each page as stored, in the order sent ({@code deduplicated} when
 * its content was already stored or it was stored before by the same request), and counts.
 */
public record PageBatchView(int stored, int deduplicated, List<PageView> pages) {

  static PageBatchView of(List<StoredPage> pages) {
    int deduplicated = (int) pages.stream().filter(StoredPage::deduplicated).count();
    return new PageBatchView(
        pages.size() - deduplicated, deduplicated, pages.stream().map(PageView::of).toList());
  }
}
