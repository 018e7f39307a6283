package dev.bulwark.metrics.spend;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** budget-service's answer to {@code GET /api/v1/spend}; fields added there are ignored here. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpendReport(Instant from, Instant to, BigDecimal totalUsd, List<Group> groups) {

  /** Spend of one group, for example {@code {"category": "gpu"}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Group(Map<String, String> group, BigDecimal amountUsd) {}
}
