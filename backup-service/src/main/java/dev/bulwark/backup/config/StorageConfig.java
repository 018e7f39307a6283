package dev.bulwark.backup.config;

import io.smallrye.config.ConfigMapping;

/** Object storage of backup-service under {@code bulwark.backup.storage}. */
@ConfigMapping(prefix = "bulwark.backup.storage")
public interface StorageConfig extends StorageLocation {}
