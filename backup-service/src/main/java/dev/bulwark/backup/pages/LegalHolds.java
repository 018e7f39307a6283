package dev.bulwark.backup.pages;

import dev.bulwark.backup.store.LegalHoldStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/** Placing and lifting legal holds on leads; every archive kind's retention obeys them. */
@ApplicationScoped
public class LegalHolds {

  private final LegalHoldStore store;
  private final Clock clock;

  public LegalHolds(LegalHoldStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Places the hold (or updates its reason); true when it is new. */
  public Uni<Boolean> place(String leadId, String reason) {
    return store.put(new LegalHold(PageLead.check("leadId", leadId), reason, clock.instant()));
  }

  public Uni<Void> lift(String leadId) {
    return store
        .delete(PageLead.check("leadId", leadId))
        .invoke(
            deleted -> {
              if (!deleted) {
                throw new LegalHoldNotFound(leadId);
              }
            })
        .replaceWithVoid();
  }

  public Uni<List<LegalHold>> all() {
    return store.all();
  }
}
