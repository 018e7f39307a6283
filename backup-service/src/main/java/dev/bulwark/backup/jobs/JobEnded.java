package dev.bulwark.backup.jobs;

import java.util.UUID;

/**
 * A job that ran on this replica ended, and its end is recorded (its exclusive key is free): a CDI
 * event fired on the job's worker thread, so that work that waited for it starts at once.
 */
public record JobEnded(UUID id, JobKind kind, String subject, JobState state) {}
