package dev.bulwark.failover.api;

import dev.bulwark.failover.groups.EventCursor;
import dev.bulwark.failover.groups.EventPage;
import java.util.List;

/** One page of events, newest first; nextCursor is absent on the last page. */
public record EventPageView(List<EventView> events, String nextCursor) {

  static EventPageView of(EventPage page) {
    return new EventPageView(
        page.events().stream().map(EventView::of).toList(),
        page.next().map(EventCursor::encode).orElse(null));
  }
}
