package dev.bulwark.metrics.databases;

import io.vertx.mutiny.sqlclient.Pool;

/** A monitored database: its label, its plan tier and included size, and a one-connection pool. */
public record DatabaseTarget(String name, String tier, long limitBytes, Pool pool) {}
