package dev.bulwark.failover.api;

import dev.bulwark.failover.groups.Probe;

/** The small body of a load-balancer probe; the status code is the answer. */
public record ProbeView(String member, String role, long epoch) {

  static ProbeView of(Probe probe) {
    return new ProbeView(probe.member(), probe.role().wire(), probe.epoch());
  }
}
