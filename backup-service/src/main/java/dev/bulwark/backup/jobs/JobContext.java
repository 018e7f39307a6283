package dev.bulwark.backup.jobs;

import java.util.Map;

/** What a running job can tell the runner. */
public interface JobContext {

  /** Replaces the job's progress (written at most once a second; the last one always). */
  void progress(Map<String, Object> progress);
}
