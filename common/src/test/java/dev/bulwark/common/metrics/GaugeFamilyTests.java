package dev.bulwark.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.MutableClock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GaugeFamilyTests {

  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aRowThatStaysIsUpdatedInPlaceAndARowNotPublishedDisappears() {
    GaugeFamily spent = GaugeFamily.register(registry, "bulwark.test.spent.usd", "spent");
    spent.row(1.5, "budget", "a").row(2.5, "budget", "b").publish();
    Gauge a = registry.get("bulwark.test.spent.usd").tag("budget", "a").gauge();

    spent.row(3.0, "budget", "a").publish();

    assertThat(registry.get("bulwark.test.spent.usd").tag("budget", "a").gauge()).isSameAs(a);
    assertThat(a.value()).isEqualTo(3.0);
    assertThat(registry.find("bulwark.test.spent.usd").tag("budget", "b").gauge()).isNull();
    assertThat(spent.size()).isEqualTo(1);
  }

  @Test
  void freshnessReportsUpOnlyAfterASuccessfulRefreshAndStaleAfterAFailure() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-06-15T12:00:00Z"));
    Freshness freshness = Freshness.register(registry, "bulwark.test.gauges", "the store", clock);
    Gauge up = registry.get("bulwark.test.gauges.up").gauge();
    Gauge last = registry.get("bulwark.test.gauges.last.success.timestamp.seconds").gauge();
    assertThat(up.value()).isZero();
    assertThat(last.value()).isNaN();

    freshness.track(Uni.createFrom().item("read")).await().indefinitely();
    assertThat(up.value()).isEqualTo(1);
    assertThat(last.value()).isEqualTo(clock.instant().getEpochSecond());

    clock.advance(Duration.ofMinutes(5));
    Uni<String> failing = freshness.track(Uni.createFrom().failure(new IOException("down")));
    assertThat(failing.onFailure().recoverWithItem("failed").await().indefinitely())
        .isEqualTo("failed");
    assertThat(up.value()).isZero();
    assertThat(last.value())
        .isEqualTo(clock.instant().minus(Duration.ofMinutes(5)).getEpochSecond());
  }
}
