package dev.bulwark.failover.groups;

import java.util.List;
import java.util.Optional;

/** One page of a group's events, newest first, and where the next starts. */
public record EventPage(List<FailoverEvent> events, Optional<EventCursor> next) {

  public EventPage {
    events = List.copyOf(events);
  }
}
