package dev.bulwark.backup.pages;

import dev.bulwark.backup.config.PagesConfig;
import dev.bulwark.backup.exported.PageCounters;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Single pages stored together, the group commit databases use for their logs: while {@code
 * group-commit.in-flight} groups are being stored, new requests wait and go together in the next
 * group, so concurrent crawlers share one round of overlapping syncs and one index commit per group
 * instead of paying them per page. A request that finds a free slot is stored at once: no timer
 * delays it. Each request is answered on its own: a conflicting fetch fails only itself.
 */
@ApplicationScoped
public class PageGroupCommit {

  private record Waiting(DecodedPage page, UniEmitter<? super StoredPage> answer) {}

  private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final PageGroupWrites groups;
  private final PageCounters counters;
  private final PagesConfig config;

  public PageGroupCommit(PageGroupWrites groups, PageCounters counters, PagesConfig config) {
    this.groups = groups;
    this.counters = counters;
    this.config = config;
  }

  /** Stores {@code page} in the next group; answers when that group is committed. */
  Uni<StoredPage> store(DecodedPage page) {
    return Uni.createFrom()
        .emitter(
            answer -> {
              counters.waiting(1);
              waiting.add(new Waiting(page, answer));
              startGroups();
            });
  }

  // Whoever adds a page checks for a free slot after adding it, and a finishing group frees its
  // slot before looking at the queue: one of the two always sees the other, so no page is left.
  private void startGroups() {
    while (!waiting.isEmpty()) {
      int running = inFlight.get();
      if (running >= config.groupCommit().inFlight()) {
        return;
      }
      if (!inFlight.compareAndSet(running, running + 1)) {
        continue;
      }
      List<Waiting> group = new ArrayList<>();
      Waiting next;
      while (group.size() < config.groupCommit().maxPages() && (next = waiting.poll()) != null) {
        group.add(next);
      }
      if (group.isEmpty()) {
        inFlight.decrementAndGet();
        continue;
      }
      store(group);
    }
  }

  private void store(List<Waiting> group) {
    counters.waiting(-group.size());
    counters.group(group.size());
    groups
        .store(group.stream().map(Waiting::page).toList(), indexed -> {})
        .subscribe()
        .with(
            indexed -> {
              finished();
              answer(group, indexed);
            },
            failure -> {
              finished();
              group.forEach(w -> w.answer().fail(failure));
            });
  }

  private void finished() {
    inFlight.decrementAndGet();
    startGroups();
  }

  private void answer(List<Waiting> group, PageGroupWrites.Indexed indexed) {
    Set<String> firstWrites = new HashSet<>();
    for (int i = 0; i < group.size(); i++) {
      UniEmitter<? super StoredPage> answer = group.get(i).answer();
      if (indexed.conflicts(i)) {
        Page sent = indexed.sent().get(i);
        answer.fail(new PageConflict(sent.url(), sent.fetchedAt()));
      } else {
        answer.complete(groups.answer(indexed, i, firstWrites));
      }
    }
  }
}
