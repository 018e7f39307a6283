package dev.bulwark.metrics.email;

import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.metrics.store.EmailStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * Email counts per campaign, ranked by the count behind an alert and read a page at a time (keyset
 * pagination), so that an operator sees the worst campaigns first however many there are.
 */
@ApplicationScoped
public class EmailStats {

  private final EmailStore store;
  private final Clock clock;

  public EmailStats(EmailStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The page {@code query} asks for; a first page's window ends now, later pages keep its end. */
  public Uni<CampaignPage> campaigns(CampaignQuery query) {
    Instant to = query.after().map(CampaignCursor::to).orElseGet(clock::instant);
    return store
        .rankedCampaigns(
            to,
            query.window().length(),
            query.order(),
            KeysetPage.rowsToRead(query.limit()),
            query.after())
        .map(
            rows -> {
              KeysetPage<CampaignCounts, CampaignCursor> page =
                  KeysetPage.of(
                      rows,
                      query.limit(),
                      last -> CampaignCursor.after(query.order(), query.window(), to, last));
              return new CampaignPage(query.window(), query.order(), to, page.items(), page.next());
            });
  }
}
