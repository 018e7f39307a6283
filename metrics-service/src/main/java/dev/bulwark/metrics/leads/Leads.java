package dev.bulwark.metrics.leads;

import dev.bulwark.metrics.intake.IntakeRules;
import dev.bulwark.metrics.store.LeadStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Records created leads, each counted once however often it is sent. */
@ApplicationScoped
public class Leads {

  private final LeadStore store;
  private final IntakeRules rules;

  public Leads(LeadStore store, IntakeRules rules) {
    this.store = store;
    this.rules = rules;
  }

  public Uni<RecordedLeads> record(List<Lead> leads) {
    rules.requireBatchSize("leads", leads.size());
    for (int i = 0; i < leads.size(); i++) {
      rules.requireNotInFuture("leads[" + i + "].createdAt", leads.get(i).createdAt());
    }
    return store
        .insert(leads)
        .map(stored -> new RecordedLeads(leads.size(), stored, leads.size() - stored));
  }
}
