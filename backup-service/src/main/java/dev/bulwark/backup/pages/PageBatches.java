package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Archiving many fetched pages at once, all or nothing: every page is decoded and checked first,
 * then the batch is stored as one group ({@link PageGroupWrites}); a fetch already archived with
 * other content refuses the whole batch before its commit.
 */
@ApplicationScoped
public class PageBatches {

  private final PageGroupWrites groups;
  private final PagesConfig config;

  public PageBatches(PageGroupWrites groups, PagesConfig config) {
    this.groups = groups;
    this.config = config;
  }

  public int maxBatchPages() {
    return config.maxBatchPages();
  }

  public long maxPageSize() {
    return config.maxPageSize().asLongValue();
  }

  /** Stores {@code uploads} whole or not at all; the answer lists them in the order given. */
  public Uni<List<StoredPage>> store(List<PageUpload> uploads) {
    if (uploads.isEmpty()) {
      throw new PageBatchProblems.EmptyBatch();
    }
    if (uploads.size() > config.maxBatchPages()) {
      throw new PageBatchProblems.BatchTooLarge(uploads.size(), config.maxBatchPages());
    }
    return PageGroupWrites.blocking(() -> decode(uploads))
        .chain(decoded -> groups.store(decoded, PageBatches::checkSameContent))
        .map(groups::answers);
  }

  private List<DecodedPage> decode(List<PageUpload> uploads) {
    long limit = maxPageSize();
    List<DecodedPage> decoded = new ArrayList<>(uploads.size());
    Map<String, Integer> firstOfFetch = new HashMap<>();
    for (int i = 0; i < uploads.size(); i++) {
      PageUpload upload = uploads.get(i);
      DecodedPage page;
      try {
        page = DecodedPage.of(upload, limit);
      } catch (ProblemException e) {
        throw PageBatchProblems.at(i, e, limit);
      }
      String fetch = upload.url().url() + "\n" + upload.fetchedAt().truncatedTo(ChronoUnit.MICROS);
      Integer first = firstOfFetch.putIfAbsent(fetch, i);
      if (first != null && !decoded.get(first).sha256().equals(page.sha256())) {
        throw new PageBatchProblems.RepeatedFetch(i, first);
      }
      decoded.add(page);
    }
    return decoded;
  }

  /** A fetch already archived with other content refuses the batch (before its commit). */
  private static void checkSameContent(PageGroupWrites.Indexed group) {
    for (int i = 0; i < group.sent().size(); i++) {
      if (group.conflicts(i)) {
        throw new PageConflict(group.sent().get(i).url(), group.sent().get(i).fetchedAt());
      }
    }
  }
}
