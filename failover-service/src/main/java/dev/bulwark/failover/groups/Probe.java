package dev.bulwark.failover.groups;

/** A load balancer's question about one member: does it hold {@code asked} now? */
public record Probe(String member, Role role, long epoch, boolean holds) {}
