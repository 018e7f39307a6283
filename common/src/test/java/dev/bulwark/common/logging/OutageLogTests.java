package dev.bulwark.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class OutageLogTests {

  @Test
  void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
    OutageLog log = new OutageLog();
    assertThat(log.failed("budget-service", new IOException("refused"))).isTrue();
    assertThat(log.failed("budget-service", new IOException("refused"))).isFalse();
    assertThat(log.failed("budget-service", new IOException("refused"))).isFalse();
    assertThat(log.isDown("budget-service")).isTrue();
    assertThat(log.succeeded("budget-service")).isTrue();
    assertThat(log.succeeded("budget-service")).isFalse();
    assertThat(log.isDown("budget-service")).isFalse();
  }

  @Test
  void sourcesAreTrackedApart() {
    OutageLog log = new OutageLog();
    log.failed("database main", new IOException("down"));
    assertThat(log.failed("budget-service", new IOException("down"))).isTrue();
    assertThat(log.succeeded("database main")).isTrue();
    assertThat(log.isDown("budget-service")).isTrue();
  }
}
