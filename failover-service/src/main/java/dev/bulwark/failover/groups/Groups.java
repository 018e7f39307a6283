package dev.bulwark.failover.groups;

import dev.bulwark.common.api.KeysetPage;
import dev.bulwark.failover.config.FailoverConfig.Kind;
import dev.bulwark.failover.store.EventStore;
import dev.bulwark.failover.store.GroupStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The use cases of the groups API: status, load-balancer probes, pause and resume, events. */
@ApplicationScoped
public class Groups {

  private final Engine engine;
  private final GroupStore store;
  private final EventStore events;
  private final Clock clock;

  public Groups(Engine engine, GroupStore store, EventStore events, Clock clock) {
    this.engine = engine;
    this.store = store;
    this.events = events;
    this.clock = clock;
  }

  public List<GroupStatus> all() {
    return engine.monitors().stream().map(GroupMonitor::status).toList();
  }

  public GroupStatus status(String group) {
    return monitor(group).status();
  }

  /**
   * Whether {@code member} holds {@code asked} now, by the stored epoch's decision and its last
   * check: a primary must answer, and a postgres primary be out of recovery.
   */
  public Probe probe(String group, String member, Role asked) {
    GroupStatus status = status(group);
    MemberStatus found = status.member(member).orElseThrow(() -> new MemberNotFound(group, member));
    boolean holds =
        found.role() == asked
            && found.up()
            && switch (asked) {
              case PRIMARY -> status.kind() != Kind.POSTGRES || !found.inRecovery();
              case STANDBY -> status.kind() != Kind.POSTGRES || found.inRecovery();
              default -> false;
            };
    return new Probe(member, found.role(), status.epoch(), holds);
  }

  /** Pauses (or resumes) automatic failover of a group; refused while one is in progress. */
  public Uni<GroupStatus> setPaused(String group, boolean paused) {
    GroupMonitor monitor = monitor(group);
    FailoverEvent event =
        FailoverEvent.of(
            group,
            clock.instant(),
            paused ? EventKind.PAUSED : EventKind.RESUMED,
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            paused ? "paused by an operator" : "resumed by an operator");
    return store
        .setPaused(group, paused, event)
        .map(
            stored -> {
              GroupState state = stored.orElseThrow(() -> new GroupNotReady(group));
              if (state.intent().isPresent()) {
                throw new FailoverInProgress(group, state.intent().get().candidate());
              }
              monitor.stateStored(state);
              return withPaused(monitor.status(), state);
            });
  }

  public Uni<EventPage> events(String group, int limit, Optional<String> cursor) {
    monitor(group);
    Optional<Long> before = cursor.map(text -> EventCursor.decode(text, group).beforeId());
    return events
        .page(group, before, KeysetPage.rowsToRead(limit))
        .map(
            rows -> {
              KeysetPage<FailoverEvent, EventCursor> page =
                  KeysetPage.of(rows, limit, last -> new EventCursor(group, last.id()));
              return new EventPage(page.items(), page.next());
            });
  }

  private static GroupStatus withPaused(GroupStatus status, GroupState state) {
    return new GroupStatus(
        status.group(),
        status.kind(),
        Optional.of(state.primary()),
        state.epoch(),
        state.paused(),
        state.paused()
            ? GroupHealth.PAUSED
            : status.health() == GroupHealth.PAUSED ? GroupHealth.HEALTHY : status.health(),
        state.lastFailoverAt(),
        status.members());
  }

  private GroupMonitor monitor(String group) {
    return engine.monitor(group).orElseThrow(() -> new GroupNotFound(group));
  }
}
