package dev.bulwark.failover.api;

import dev.bulwark.failover.drills.DrillCursor;
import dev.bulwark.failover.drills.DrillPage;
import java.util.List;

/** One page of drills, newest first; nextCursor is absent on the last page. */
public record DrillPageView(List<DrillView> drills, String nextCursor) {

  static DrillPageView of(DrillPage page) {
    return new DrillPageView(
        page.drills().stream().map(DrillView::of).toList(),
        page.next().map(DrillCursor::encode).orElse(null));
  }
}
