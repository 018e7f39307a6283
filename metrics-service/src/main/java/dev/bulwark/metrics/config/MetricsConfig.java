package dev.bulwark.metrics.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of metrics-service under {@code bulwark.metrics}; docs/api/metrics.md lists them. */
@ConfigMapping(prefix = "bulwark.metrics")
public interface MetricsConfig {

  /** Most events or leads one batch request may carry. */
  @WithDefault("5000")
  int maxBatch();

  /** How far in the future an occurred-at may lie (clock skew between hosts). */
  @WithDefault("5m")
  Duration maxClockSkew();

  /** How long raw email events are kept for deduplication; rollups are kept longer. */
  @WithDefault("30d")
  Duration eventRetention();

  /** How long rollups are kept. */
  @WithDefault("400d")
  Duration rollupRetention();

  /** How often gauges are recomputed from the rollups (read by {@code @Scheduled}). */
  @WithDefault("15s")
  Duration refreshEvery();

  /** How often each target database is checked. */
  @WithDefault("60s")
  Duration databaseCheckEvery();

  /** How often expired events and rollups are deleted. */
  @WithDefault("1h")
  Duration pruneEvery();

  Webhooks webhooks();

  Spend spend();

  Pipeline pipeline();

  Alerts alerts();

  /** Plan tiers by name: included database size. Shipped in application.properties. */
  Map<String, MemorySize> tiers();

  /** Databases whose size and connections are checked, by a name used as metric label. */
  Map<String, Database> databases();

  /** How email providers authenticate to the webhook endpoints. */
  interface Webhooks {
    /** SendGrid's Signed Event Webhook verification key (base64 DER public key). */
    @WithName("sendgrid.verification-key")
    Optional<String> sendgridVerificationKey();

    /** Basic credentials SNS sends, set in the subscription URL (https://user:pass@host/...). */
    @WithName("sns.username")
    Optional<String> snsUsername();

    @WithName("sns.password")
    Optional<String> snsPassword();

    /** When set, only notifications of these SNS topics are accepted. */
    @WithName("sns.topic-arns")
    Optional<List<String>> snsTopicArns();

    /** Confirm SNS subscriptions by visiting their SubscribeURL; otherwise only log the URL. */
    @WithName("sns.auto-confirm")
    @WithDefault("false")
    boolean snsAutoConfirm();

    /** Hosts a SubscribeURL may point at before it is visited (regular expression). */
    @WithName("sns.confirm-host-pattern")
    @WithDefault("sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?")
    String snsConfirmHostPattern();

    /** Verify each SNS message's signature against the certificate at its SigningCertURL. */
    @WithName("sns.verify-signatures")
    @WithDefault("true")
    boolean snsVerifySignatures();

    /** Hosts a SigningCertURL may point at before it is fetched (regular expression). */
    @WithName("sns.cert-host-pattern")
    @WithDefault("sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?")
    String snsCertHostPattern();

    /**
     * Oldest signed SNS message accepted, by its Timestamp: SNS retries an HTTP(S) delivery for at
     * most an hour, so anything older is a replay.
     */
    @WithName("sns.max-message-age")
    @WithDefault("1h")
    Duration snsMaxMessageAge();

    /**
     * Largest provider webhook body accepted (SendGrid posts up to 768 KB, SNS up to 256 KB),
     * whatever the number of events in it; larger bodies get a 413.
     */
    @WithName("max-body")
    @WithDefault("2M")
    MemorySize maxBody();
  }

  /** Reading spend from budget-service. */
  interface Spend {
    /** Bearer token (role viewer) for budget-service; from a Secret in Kubernetes. */
    Optional<String> token();

    @WithDefault("2s")
    Duration timeout();

    /** Retries after a failed call, with exponential backoff from {@link #backoff()}. */
    @WithDefault("2")
    int retries();

    @WithDefault("200ms")
    Duration backoff();

    /** The spend category of GPU bursts. */
    @WithDefault("gpu")
    String gpuCategory();

    /** How often spend is read from budget-service. */
    @WithDefault("60s")
    Duration refreshEvery();
  }

  /** The nightly pipeline's deadline. */
  interface Pipeline {
    @WithDefault("05:00")
    LocalTime deadline();

    @WithDefault("UTC")
    ZoneId zone();
  }

  /** Thresholds exported as metrics, so that the rules file ships unchanged. */
  interface Alerts {
    @WithDefault("0.50")
    BigDecimal costPerLeadUsd();

    @WithName("gpu-spend-24h-usd")
    @WithDefault("50")
    BigDecimal gpuSpend24hUsd();
  }

  /** One monitored database. */
  interface Database {
    /** Reactive URL, for example postgresql://db.example:5432/app. */
    String url();

    Optional<String> username();

    Optional<String> password();

    /** A name from {@link #tiers()}, or {@code custom} with {@link #limit()}. */
    @WithDefault("custom")
    String tier();

    /** Overrides the tier's included size. */
    Optional<MemorySize> limit();
  }
}
