package dev.bulwark.metrics.exported;

import dev.bulwark.common.jobs.Jobs;
import dev.bulwark.common.metrics.Freshness;
import dev.bulwark.common.metrics.GaugeFamily;
import dev.bulwark.common.money.Money;
import dev.bulwark.metrics.config.MetricsConfig;
import dev.bulwark.metrics.email.WindowCounts;
import dev.bulwark.metrics.pipeline.Deadline;
import dev.bulwark.metrics.pipeline.RunSummary;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The business gauges. Scheduled refreshes read the rollups and budget-service and publish values;
 * a scrape only reads what was published, so its cost does not grow with history.
 */
@ApplicationScoped
public class BusinessGauges {

  /** The job that reads the metrics store, and its name in logs and job metrics. */
  public static final String STORE_JOB = "metrics-store-gauges";

  /** The job that reads spend from budget-service. */
  public static final String SPEND_JOB = "metrics-spend-gauges";

  /**
   * Longest a read of the metrics store may take. Jobs' own timeout cancels a hung run rather than
   * failing it, which would leave {@code bulwark_metrics_store_up} at 1 over values that no longer
   * change; a lock or a silent network partition must show as an outage.
   */
  static final Duration STORE_READ_TIMEOUT = Duration.ofSeconds(10);

  static final List<Window> EMAIL_WINDOWS = Window.ALL;
  static final List<Window> LEAD_WINDOWS = List.of(Window.DAY, Window.WEEK);

  /** What the last successful read of the metrics store saw. */
  record StoreSnapshot(
      List<WindowCounts> email,
      List<Long> leads,
      RunSummary pipeline,
      Instant deadline,
      boolean deadlineMissed) {}

  private final EmailStore emails;
  private final LeadStore leads;
  private final PipelineRunStore runs;
  private final SpendReader spendReader;
  private final MetricsConfig config;
  private final Clock clock;
  private final Deadline deadline;
  private final Jobs jobs;
  private final Freshness storeFreshness;
  private final Freshness spendFreshness;

  private final GaugeFamily emailEvents;
  private final GaugeFamily bounceRatio;
  private final GaugeFamily complaintRatio;
  private final GaugeFamily leadCount;
  private final GaugeFamily spendUsd;
  private final GaugeFamily costPerLead;
  private final GaugeFamily gpuSpend;
  private final GaugeFamily lastSuccess;
  private final GaugeFamily lastDuration;
  private final GaugeFamily deadlineMissed;
  private final GaugeFamily deadlineAt;
  private final GaugeFamily runsInProgress;

  // Null until the first successful read: publish() shows nothing of a source never read.
  private volatile StoreSnapshot store;
  private volatile Map<Window, Map<String, BigDecimal>> spend;

  public BusinessGauges(
      EmailStore emails,
      LeadStore leads,
      PipelineRunStore runs,
      SpendReader spendReader,
      MetricsConfig config,
      Clock clock,
      Jobs jobs,
      MeterRegistry registry) {
    this.emails = emails;
    this.leads = leads;
    this.runs = runs;
    this.spendReader = spendReader;
    this.config = config;
    this.clock = clock;
    this.jobs = jobs;
    this.deadline = new Deadline(config.pipeline().deadline(), config.pipeline().zone());
    emailEvents =
        GaugeFamily.register(
            registry, "bulwark.email.events", "Email events in the trailing window");
    bounceRatio =
        GaugeFamily.register(
            registry,
            "bulwark.email.bounce.ratio",
            "Hard bounces / (delivered + hard bounces) in the trailing window");
    complaintRatio =
        GaugeFamily.register(
            registry,
            "bulwark.email.complaint.ratio",
            "Spam complaints / delivered in the trailing window");
    leadCount =
        GaugeFamily.register(registry, "bulwark.leads", "Leads created in the trailing window");
    spendUsd =
        GaugeFamily.register(
            registry, "bulwark.spend.usd", "Committed spend by category in the trailing window");
    costPerLead =
        GaugeFamily.register(
            registry,
            "bulwark.cost.per.lead.usd",
            "All spend / leads created in the trailing window, USD");
    gpuSpend =
        GaugeFamily.register(
            registry, "bulwark.gpu.spend.usd", "GPU-burst spend in the trailing window, USD");
    lastSuccess =
        GaugeFamily.register(
            registry,
            "bulwark.pipeline.last.success.timestamp.seconds",
            "When the last successful pipeline run finished, Unix time");
    lastDuration =
        GaugeFamily.register(
            registry,
            "bulwark.pipeline.last.run.duration.seconds",
            "Duration of the last finished pipeline run");
    deadlineMissed =
        GaugeFamily.register(
            registry,
            "bulwark.pipeline.deadline.missed",
            "1 when today's deadline passed without a successful run since the previous one");
    deadlineAt =
        GaugeFamily.register(
            registry,
            "bulwark.pipeline.deadline.timestamp.seconds",
            "Today's pipeline deadline, Unix time");
    runsInProgress =
        GaugeFamily.register(
            registry, "bulwark.pipeline.runs.in.progress", "Pipeline runs started, not finished");
    storeFreshness =
        Freshness.register(registry, "bulwark.metrics.store", "the metrics store", clock);
    spendFreshness =
        Freshness.register(registry, "bulwark.spend", "spend from budget-service", clock);
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
      every = "${bulwark.metrics.refresh-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refreshStore() {
    return jobs.onEveryReplica(STORE_JOB, () -> storeFreshness.track(readStore()));
  }

  @Scheduled(
      every = "${bulwark.metrics.spend.refresh-every}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> refreshSpend() {
    // On failure the last known values stay exported; bulwark_spend_up says they are stale.
    return jobs.onEveryReplica(SPEND_JOB, () -> spendFreshness.track(readSpend()));
  }

  private Uni<StoreSnapshot> readStore() {
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
        .ifNoItem()
        .after(STORE_READ_TIMEOUT)
        .failWith(
            () ->
                new TimeoutException(
                    "the metrics store did not answer within "
                        + STORE_READ_TIMEOUT.toSeconds()
                        + " s"))
        .invoke(
            snapshot -> {
              store = snapshot;
              publish();
            });
  }

  private Uni<Map<Window, Map<String, BigDecimal>>> readSpend() {
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
              publish();
            });
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

  private void publishEmail(List<WindowCounts> counts) {
    for (int i = 0; i < EMAIL_WINDOWS.size(); i++) {
      String window = EMAIL_WINDOWS.get(i).label();
      WindowCounts c = counts.get(i);
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
    RunSummary p = s.pipeline();
    p.lastSuccess().ifPresent(at -> lastSuccess.row(at.toEpochMilli() / 1000.0));
    lastSuccess.publish();
    p.lastDuration().ifPresent(d -> lastDuration.row(d.toNanos() / 1e9));
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
