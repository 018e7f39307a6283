package dev.bulwark.metrics.exported;

import dev.bulwark.common.logging.OutageLog;
import dev.bulwark.common.money.Money;
import dev.bulwark.metrics.config.MetricsConfig;
import dev.bulwark.metrics.pipeline.Deadline;
import dev.bulwark.metrics.spend.SpendReader;
import dev.bulwark.metrics.store.EmailStore;
import dev.bulwark.metrics.store.LeadStore;
import dev.bulwark.metrics.store.PipelineRunStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The business gauges. Scheduled refreshes read the rollups and budget-service and publish values;
 * a scrape only reads what was published, so its cost does not grow with history.
 */
@ApplicationScoped
public class BusinessGauges {

  static final String STORE = "metrics store";
  static final String BUDGET_SERVICE = "budget-service";
  static final List<Window> EMAIL_WINDOWS = Window.ALL;
  static final List<Window> LEAD_WINDOWS = List.of(Window.DAY, Window.WEEK);

  /** What the last successful read of the metrics store saw. */
  record StoreSnapshot(
      List<EmailStore.WindowCounts> email,
      List<Long> leads,
      PipelineRunStore.Summary pipeline,
      Instant deadline,
      boolean deadlineMissed) {}

  private final EmailStore emails;
  private final LeadStore leads;
  private final PipelineRunStore runs;
  private final SpendReader spendReader;
  private final MetricsConfig config;
  private final Clock clock;
  private final Deadline deadline;
  private final OutageLog outages;

  private final Gauges emailEvents;
  private final Gauges bounceRatio;
  private final Gauges complaintRatio;
  private final Gauges leadCount;
  private final Gauges spendUsd;
  private final Gauges costPerLead;
  private final Gauges gpuSpend;
  private final Gauges lastSuccess;
  private final Gauges lastDuration;
  private final Gauges deadlineMissed;
  private final Gauges deadlineAt;
  private final Gauges runsInProgress;

  private volatile StoreSnapshot store;
  private volatile boolean storeUp;
  private volatile Map<Window, Map<String, BigDecimal>> spend;
  private volatile boolean spendUp;
  private volatile Instant spendReadAt;

  public BusinessGauges(
      EmailStore emails,
      LeadStore leads,
      PipelineRunStore runs,
      SpendReader spendReader,
      MetricsConfig config,
      Clock clock,
      OutageLog outages,
      MeterRegistry registry) {
    this.emails = emails;
    this.leads = leads;
    this.runs = runs;
    this.spendReader = spendReader;
    this.config = config;
    this.clock = clock;
    this.outages = outages;
    this.deadline = new Deadline(config.pipeline().deadline(), config.pipeline().zone());
    emailEvents =
        Gauges.register(registry, "bulwark.email.events", "Email events in the trailing window");
    bounceRatio =
        Gauges.register(
            registry,
            "bulwark.email.bounce.ratio",
            "Hard bounces / (delivered + hard bounces) in the trailing window");
    complaintRatio =
        Gauges.register(
            registry,
            "bulwark.email.complaint.ratio",
            "Spam complaints / delivered in the trailing window");
    leadCount = Gauges.register(registry, "bulwark.leads", "Leads created in the trailing window");
    spendUsd =
        Gauges.register(
            registry, "bulwark.spend.usd", "Committed spend by category in the trailing window");
    costPerLead =
        Gauges.register(
            registry,
            "bulwark.cost.per.lead.usd",
            "All spend / leads created in the trailing window, USD");
    gpuSpend =
        Gauges.register(
            registry, "bulwark.gpu.spend.usd", "GPU-burst spend in the trailing window, USD");
    lastSuccess =
        Gauges.register(
            registry,
            "bulwark.pipeline.last.success.timestamp.seconds",
            "When the last successful pipeline run finished, Unix time");
    lastDuration =
        Gauges.register(
            registry,
            "bulwark.pipeline.last.run.duration.seconds",
            "Duration of the last finished pipeline run");
    deadlineMissed =
        Gauges.register(
            registry,
            "bulwark.pipeline.deadline.missed",
            "1 when today's deadline passed without a successful run since the previous one");
    deadlineAt =
        Gauges.register(
            registry,
            "bulwark.pipeline.deadline.timestamp.seconds",
            "Today's pipeline deadline, Unix time");
    runsInProgress =
        Gauges.register(
            registry, "bulwark.pipeline.runs.in.progress", "Pipeline runs started, not finished");
    Gauge.builder("bulwark.metrics.store.up", () -> storeUp ? 1 : 0)
        .description("1 when the last read of the metrics store succeeded; 0: values are stale")
        .register(registry);
    Gauge.builder("bulwark.spend.up", () -> spendUp ? 1 : 0)
        .description("1 when the last read of budget-service succeeded; 0: spend values are stale")
        .register(registry);
    Gauge.builder(
            "bulwark.spend.last.success.timestamp.seconds",
            () -> spendReadAt == null ? Double.NaN : spendReadAt.getEpochSecond())
        .description("When spend was last read from budget-service, Unix time")
        .register(registry);
    Gauge.builder(
            "bulwark.cost.per.lead.threshold.usd",
            () -> Money.toDouble(config.alerts().costPerLeadUsd()))
        .tag("window", Window.DAY.label())
        .description("Configured alert threshold of cost per lead, USD")
        .register(registry);
    Gauge.builder(
            "bulwark.gpu.spend.threshold.usd",
            () -> Money.toDouble(config.alerts().gpuSpend24hUsd()))
        .tag("window", Window.DAY.label())
        .description("Configured alert threshold of GPU-burst spend, USD")
        .register(registry);
  }

  @Scheduled(
      every = "${bulwark.metrics.refresh-every:15s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refreshStore() {
    Instant now = clock.instant();
    Instant today = deadline.today(now);
    return Uni.combine()
        .all()
        .unis(
            emails.counts(now, Window.lengths(EMAIL_WINDOWS)),
            leads.counts(now, Window.lengths(LEAD_WINDOWS)),
            runs.summary(deadline.previous(now), today))
        .with(
            (email, lead, pipeline) ->
                new StoreSnapshot(
                    email,
                    lead,
                    pipeline,
                    today,
                    deadline.missed(now, pipeline.succeededInWindow())))
        .invoke(
            snapshot -> {
              store = snapshot;
              publish();
              // Up only once the fresh values are published: a scrape never pairs up with stale.
              storeUp = true;
              outages.succeeded(STORE);
            })
        .onFailure()
        .invoke(
            f -> {
              storeUp = false;
              outages.failed(STORE, f);
            })
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  @Scheduled(
      every = "${bulwark.metrics.spend.refresh-every:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refreshSpend() {
    Instant now = clock.instant();
    return Uni.combine()
        .all()
        .unis(
            spendReader.byCategory(now, Window.DAY.length()),
            spendReader.byCategory(now, Window.WEEK.length()))
        .with(
            (day, week) -> {
              Map<Window, Map<String, BigDecimal>> read = new LinkedHashMap<>();
              read.put(Window.DAY, day);
              read.put(Window.WEEK, week);
              return read;
            })
        .invoke(
            read -> {
              spend = read;
              spendReadAt = now;
              publish();
              spendUp = true;
              outages.succeeded(BUDGET_SERVICE);
            })
        .onFailure()
        .invoke(
            f -> {
              // The last known values stay exported; spend_up says they are stale.
              spendUp = false;
              outages.failed(BUDGET_SERVICE, f);
            })
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private synchronized void publish() {
    StoreSnapshot s = store;
    Map<Window, Map<String, BigDecimal>> spent = spend;
    if (s != null) {
      publishEmail(s.email());
      for (int i = 0; i < LEAD_WINDOWS.size(); i++) {
        leadCount.row(s.leads().get(i), "window", LEAD_WINDOWS.get(i).label());
      }
      leadCount.publish();
      publishPipeline(s);
    }
    if (spent != null) {
      spent.forEach(
          (window, byCategory) ->
              byCategory.forEach(
                  (category, usd) ->
                      spendUsd.row(
                          Money.toDouble(usd), "category", category, "window", window.label())));
      spendUsd.publish();
      BigDecimal gpu = spent.get(Window.DAY).get(config.spend().gpuCategory());
      gpuSpend.row(gpu == null ? 0 : Money.toDouble(gpu), "window", Window.DAY.label()).publish();
    }
    if (s != null && spent != null) {
      for (int i = 0; i < LEAD_WINDOWS.size(); i++) {
        Window window = LEAD_WINDOWS.get(i);
        long created = s.leads().get(i);
        Map<String, BigDecimal> byCategory = spent.get(window);
        if (created > 0 && byCategory != null) {
          BigDecimal total = byCategory.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
          costPerLead.row(
              Money.toDouble(total.divide(BigDecimal.valueOf(created), 6, RoundingMode.HALF_UP)),
              "window",
              window.label());
        }
      }
      costPerLead.publish();
    }
  }

  private void publishEmail(List<EmailStore.WindowCounts> counts) {
    for (int i = 0; i < EMAIL_WINDOWS.size(); i++) {
      String window = EMAIL_WINDOWS.get(i).label();
      EmailStore.WindowCounts c = counts.get(i);
      emailEvents
          .row(c.delivered(), "event", "delivered", "window", window)
          .row(c.bounces(), "event", "bounced", "window", window)
          .row(c.complaints(), "event", "complained", "window", window)
          .row(c.deferred(), "event", "deferred", "window", window);
      if (c.bounceRatio() != null) {
        bounceRatio.row(c.bounceRatio(), "window", window);
      }
      if (c.complaintRatio() != null) {
        complaintRatio.row(c.complaintRatio(), "window", window);
      }
    }
    // Ratios first: a scrape that sees the new counts also sees the ratios they make.
    bounceRatio.publish();
    complaintRatio.publish();
    emailEvents.publish();
  }

  private void publishPipeline(StoreSnapshot s) {
    PipelineRunStore.Summary p = s.pipeline();
    if (p.lastSuccess() != null) {
      lastSuccess.row(p.lastSuccess().toEpochMilli() / 1000.0);
    }
    lastSuccess.publish();
    if (p.lastDurationSeconds() != null) {
      lastDuration.row(p.lastDurationSeconds());
    }
    lastDuration.publish();
    // Until the pipeline has reported a run, nobody can say a night was missed: absent, not 1.
    if (p.anyRun()) {
      deadlineMissed.row(s.deadlineMissed() ? 1 : 0);
    }
    deadlineMissed.publish();
    deadlineAt.row(s.deadline().getEpochSecond()).publish();
    runsInProgress.row(p.running()).publish();
  }
}
