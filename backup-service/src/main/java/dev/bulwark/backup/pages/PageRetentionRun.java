package dev.bulwark.backup.pages;

/** What one retention run deleted: fetches, the objects no fetch needed, unused dictionaries. */
public record PageRetentionRun(int pages, int objects, int dictionaries) {

  PageRetentionRun plus(PageRetentionRun other) {
    return new PageRetentionRun(
        pages + other.pages, objects + other.objects, dictionaries + other.dictionaries);
  }
}
