package dev.bulwark.backup.pitr.wal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The part of failover-service's group view (its {@code GroupView}) the receiver reads: the member
 * that is the group's primary by the current epoch; {@code primary} is null before the group has
 * one. The view's other fields (kind, members, ...) are ignored, and so are fields failover-service
 * adds later.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FailoverGroup(String group, String primary, long epoch, String state) {}
