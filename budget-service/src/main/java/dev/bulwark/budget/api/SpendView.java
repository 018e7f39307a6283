package dev.bulwark.budget.api;

import dev.bulwark.budget.spend.Dimension;
import dev.bulwark.budget.spend.SpendGroup;
import dev.bulwark.budget.spend.SpendReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sums of the spend ledger and the query they answer. */
public record SpendView(
    Instant from, Instant to, List<String> groupBy, BigDecimal totalUsd, List<GroupView> groups) {

  /** One group: its key (dimension to value), sums and number of ledger entries. */
  public record GroupView(
      Map<String, String> group,
      BigDecimal amountUsd,
      BigDecimal overrunUsd,
      BigDecimal lateUsd,
      BigDecimal ungatedUsd,
      long entries) {

    static GroupView of(SpendGroup g) {
      return new GroupView(
          g.group(), g.amountUsd(), g.overrunUsd(), g.lateUsd(), g.ungatedUsd(), g.entries());
    }
  }

  static SpendView of(SpendReport report) {
    return new SpendView(
        report.query().from(),
        report.query().to(),
        report.query().groupBy().stream().map(Dimension::wire).toList(),
        report.totalUsd(),
        report.groups().stream().map(GroupView::of).toList());
  }
}
